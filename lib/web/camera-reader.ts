import type { Dispatcher } from '../dispatch/dispatcher.js';
import { replyData } from './api-reply.js';
import { INTERNAL_SESSION } from './internal-session.js';

/** What observers ask a camera, through the dispatcher, by the name its tools are registered under. */
export class CameraReader {
  constructor(
    private readonly dispatcher: Dispatcher,
    /** '' for camera 1 (`exposure`), `cam2` for camera 2 (`cam2.exposure`), ... */
    readonly prefix: string,
  ) {}

  /** The camera's name on the page and in metric labels: `cam1`, `cam2`, ... */
  get name(): string {
    return this.prefix || 'cam1';
  }

  /** The reply's data as the web API gives it; undefined for an ERROR. */
  async ask(tool: string, method: string, ...args: string[]): Promise<unknown> {
    const name = this.prefix ? `${this.prefix}.${tool}` : tool;
    const outcome = await this.dispatcher.run({ tool: name, method, args, kwargs: {} }, INTERNAL_SESSION);
    return outcome.status === 'OK' ? replyData(outcome.reply) : undefined;
  }

  /** CCD, base and ambient, then the set point, in °C. */
  async temperatures(): Promise<{ ccd: number; base: number; ambient: number; setpoint: number }> {
    const [ccd, base, ambient] = numbers(await this.ask('tempcon', 'get_temperatures'));
    const [setpoint] = numbers(await this.ask('tempcon', 'get_control_temperature'));
    return { ccd: ccd ?? Number.NaN, base: base ?? Number.NaN, ambient: ambient ?? Number.NaN, setpoint: setpoint ?? Number.NaN };
  }
}

function numbers(data: unknown): number[] {
  return (Array.isArray(data) ? data : [data]).map(Number);
}
