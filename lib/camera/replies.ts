/** Reply shapes shared by the instrument tools (the formatter itself is lib/protocol/reply.ts). */

/**
 * A string the client must read back as one string: as a one-element array the formatter quotes
 * it when it is empty or holds spaces, so `M31 field` does not come back as two words.
 */
export function word(text: string): string[] {
  return [text];
}
