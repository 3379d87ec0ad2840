import { parseCommand, type Command } from './parse.js';

/** Longer lines are parsed each time: polls are short, and the cache must stay small. */
const MAX_CACHED_LINE = 256;
const CAPACITY = 512;

/**
 * Parses command lines through a small cache. Scripts and consoles send the same few lines again
 * and again (`exposure.get_status`, `tempcon.get_temperatures`), and parsing was a tenth of a
 * light command's cost. A cached command is frozen, as it is shared by every later use.
 */
export class ParseCache {
  readonly #commands = new Map<string, Command>();

  /** As parseCommand: undefined for a line that holds no command; throws ParseError. */
  parse(line: string): Command | undefined {
    const cached = this.#commands.get(line);
    if (cached) return cached;
    // Parsed from a copy of its own: the line may be a slice of a whole chunk's text (the
    // framer's), which the cache's key, and the words a handler keeps, would otherwise hold alive.
    const own = structuredClone(line);
    const command = parseCommand(own);
    if (command && own.length <= MAX_CACHED_LINE) this.#remember(own, command);
    return command;
  }

  #remember(line: string, command: Command): void {
    if (this.#commands.size >= CAPACITY) this.#commands.delete(this.#commands.keys().next().value!);
    Object.freeze(command.args);
    Object.freeze(command.kwargs);
    this.#commands.set(line, Object.freeze(command));
  }
}
