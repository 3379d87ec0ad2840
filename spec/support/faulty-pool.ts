import type { ReadoutControl } from '../../lib/readout/control.js';
import { ReadoutPool, type ReadoutPoolOptions, type WrittenReadout } from '../../lib/readout/pool.js';
import type { ReadoutRequest } from '../../lib/readout/request.js';

/** How the test worker fails: it throws, or its thread exits. */
export type Fault = 'throw' | 'exit';

/** A request as the test worker receives it: plain data, so the extra field crosses with it. */
export interface FaultyRequest extends ReadoutRequest {
  fault?: Fault;
}

const FAULTY_WORKER = new URL('./faulty-readout-worker.js', import.meta.url).href;

/** The real readout pool, whose worker fails the next request when asked to. */
export class FaultyPool extends ReadoutPool {
  readonly #faults: Fault[] = [];

  constructor(options: Omit<ReadoutPoolOptions, 'filename'>) {
    super({ ...options, filename: FAULTY_WORKER });
  }

  failNext(fault: Fault): void {
    this.#faults.push(fault);
  }

  override submit(request: ReadoutRequest, control?: ReadoutControl): Promise<WrittenReadout> {
    const fault = this.#faults.shift();
    const faulty: FaultyRequest = fault ? { ...request, fault } : request;
    return super.submit(faulty, control);
  }
}
