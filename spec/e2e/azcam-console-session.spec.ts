/**
 * End to end (issue 12): a console session as azcam-console drives the server, in Python with the
 * standard library only — parameters with the console's subdict, expose, a sequence of 3,
 * filters, set point, shutter, keywords, and an abort of a blocking expose from another connection.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { E2E } from './support.js';

const SCRIPT = fileURLToPath(new URL('../../../spec/e2e/azcam_console_session.py', import.meta.url));

describe('e2e: an azcam console session in Python (socket + shlex)', function () {
  this.timeout(60_000);
  const e2e = new E2E();
  afterEach(() => e2e.cleanup());

  it('runs unchanged and sees what azcam would answer', async () => {
    const { port, dataDir } = await e2e.start();
    const { stdout } = await promisify(execFile)('python3', [SCRIPT, String(port)]);
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    const folder = join(dataDir, 'night1');
    expect(seen).to.deep.include({
      imagefolder: folder,
      imagesequencenumber: 1,
      delay: 2,
      lastfilename: join(folder, 'flat.0004.fits'),
      next: join(folder, 'flat.0005.fits'),
      filters: ['clear', 'u', 'g', 'r', 'i', 'z'],
      filter: 'r',
      setpoint: -100,
      shutter_open: '1',
      // azcam's list reply leaves an empty comment only its space (`OK 'Ann Lee'  str`): two words.
      keyword: ['Ann Lee', 'str'],
      // `OK dome flat`, a string sent as it is: azcam's console reads two words.
      title: ['dome', 'flat'],
      roi: [1, 2048, 1, 2048, 1, 1],
      aborted_expose: { reply: null },
      status_message: 'aborted',
      error: 'command error: ERROR invalid exposure time: abc',
    });
    expect(seen['temperatures']).to.have.length(3);
    expect(seen['status_keys']).to.include.members(['message', 'exposurelabel', 'exposurecolor', 'seqcount', 'seqtotal', 'systemname', 'mode']);
    for (const n of [1, 2, 3, 4]) expect(existsSync(join(folder, `flat.000${n}.fits`)), `flat.000${n}.fits`).to.equal(true);
    expect(existsSync(join(folder, 'flat.0005.fits'))).to.equal(false);
  });
});
