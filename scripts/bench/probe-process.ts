/** Entry of the latency probes' process (see child.ts): a ProbeSpec in, its ProbeResult out. */
import { childMain } from './child.js';
import { probeServer } from './probe.js';

await childMain(probeServer);
