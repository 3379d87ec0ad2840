import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadoutPool } from '../../lib/readout/pool.js';
import { PoolReadout } from '../../lib/readout/pool-readout.js';
import { HeldParameterFile } from '../support/held-parameter-file.js';
import { HeldThreads } from '../support/held-threads.js';
import { CameraHarness } from './harness.js';

const HELD_WORKER = new URL('../support/held-readout-worker.js', import.meta.url).href;
const NOT_DURABLE = /^ERROR "?image .*itl\.0001\.fits written, but its folder could not be flushed: EIO/;

describe('an image written whose folder could not be flushed (through the readout pool)', () => {
  let root: string;
  let held: HeldThreads;
  let pool: ReadoutPool;
  let h: CameraHarness;
  let readout: PoolReadout;
  let parameterFile: HeldParameterFile;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'not-durable-'));
    held = new HeldThreads();
    pool = new ReadoutPool({ root, threads: 1, filename: HELD_WORKER });
    parameterFile = new HeldParameterFile(join(root, 'pars.json'));
    readout = new PoolReadout(pool);
    h = new CameraHarness({ readout, imageFolder: root, parameterFile });
    held.start(await held.starting());
  });
  afterEach(async () => {
    held.close();
    await pool.close();
    h.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  /** Exposes, and waits for the image written under its name, its thread holding the readout. */
  async function written(): Promise<{ reply: Promise<string>; file: string }> {
    const reply = h.send('exposure.expose 1 zero');
    await h.clock.timerSet();
    await h.clock.advance(1000);
    return { reply, file: await held.written() };
  }

  it('replies its error, and keeps the image: lastfilename names it, and the next image takes the next number, saved', async () => {
    const { reply, file } = await written();
    let replied = false;
    void reply.finally(() => (replied = true));
    held.failFolderFlush(file);
    await readout.settled();
    await h.settle();
    expect(replied, 'replied before the number was saved').to.equal(false);
    expect(await h.flag(), 'ended before the number was saved').to.equal('OK 9 WRITING');
    parameterFile.release();
    expect(await reply).to.match(NOT_DURABLE);
    expect(JSON.parse(readFileSync(parameterFile.path, 'utf8'))).to.have.nested.property('parameters.imagesequencenumber', 2);
    expect(await h.send('get_par lastfilename')).to.equal(`OK ${file}`);
    expect(await h.send('get_par imagesequencenumber')).to.equal('OK 2');
  });

  it('is that error still when a client aborts during the flush: once named, the image stays', async () => {
    const { reply, file } = await written();
    expect(await h.send('exposure.abort')).to.equal('OK');
    parameterFile.release();
    held.failFolderFlush(file);
    expect(await reply).to.match(NOT_DURABLE);
    expect(await h.send('get_par imagesequencenumber')).to.equal('OK 2');
  });
});
