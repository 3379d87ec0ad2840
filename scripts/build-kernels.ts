/**
 * Build step (npm run build): compiles the WebAssembly text of the pixel kernels
 * (lib/readout/kernels.wat) into dist/lib/readout/kernels.wasm, where lib/readout/kernels.ts
 * loads it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import wabt from 'wabt';

const SOURCE = new URL('../../lib/readout/kernels.wat', import.meta.url);
const TARGET = new URL('../lib/readout/kernels.wasm', import.meta.url);

const compiler = await wabt();
const module = compiler.parseWat('kernels.wat', readFileSync(SOURCE, 'utf8'), { simd: true });
try {
  module.validate();
  writeFileSync(TARGET, module.toBinary({}).buffer);
} finally {
  module.destroy();
}
