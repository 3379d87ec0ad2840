import { expect } from 'chai';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E } from './support.js';

/** One row of README's azcam compatibility table: the call as sent, and the reply it must get. */
interface Row {
  call: string;
  reply: string;
}

const START = '<!-- azcam-compatibility:start -->';
const END = '<!-- azcam-compatibility:end -->';
const ROW = /^\| `(.+?)` \| `(.*?)` \|/;

/** The table's rows, in order (header and separator rows have no backquoted cells). */
export function compatibilityRows(readme: string): Row[] {
  const table = readme.slice(readme.indexOf(START), readme.indexOf(END));
  return table
    .split('\n')
    .map((line) => ROW.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, call, reply]) => ({ call: call!, reply: reply!.replaceAll('\\|', '|') }));
}

/** The documented reply as a pattern: `…` stands for any text, everything else is literal. */
function pattern(reply: string): RegExp {
  return new RegExp(`^${reply.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

describe('e2e: azcam compatibility (README table replayed as a lab script)', function () {
  this.timeout(120_000);
  const e2e = new E2E();
  afterEach(() => e2e.cleanup());

  const rows = compatibilityRows(readFileSync(new URL('../../../README.md', import.meta.url), 'utf8'));

  it('the table lists the console calls of issue 12', () => {
    expect(rows.length).to.be.above(90);
    const calls = rows.map((row) => row.call);
    for (const call of ['get_par imageroot None', 'set_par delay 1 get_temps', 'exposure.set_keyword GAIN 2.5 none none', 'exposure.image.write_file copy 0']) {
      expect(calls).to.include(call);
    }
  });

  it('every call gets the reply the README shows, in order on one connection', async () => {
    const { port, dataDir } = await e2e.start({ detector: 'sta2k' });
    copyFileSync(new URL('../../../spec/fixtures/header.txt', import.meta.url), join(dataDir, 'header.txt'));
    const console = await e2e.connect(port);
    for (const { call, reply } of rows) {
      expect(await console.raw(call), call).to.match(pattern(reply));
    }
  });
});
