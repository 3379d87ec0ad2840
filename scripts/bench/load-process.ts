/** Entry of the load generator's process (see child.ts): a LoadSpec in, its LoadResult out. */
import { childMain } from './child.js';
import { generateLoad } from './load-generator.js';

await childMain(generateLoad);
