/** `node load-process.js '<LoadSpec as JSON>'`: generates the load and prints its LoadResult as one JSON line. */
import { generateLoad, type LoadSpec } from './load-generator.js';

const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
process.stdout.write(`${JSON.stringify(await generateLoad(spec))}\n`);
