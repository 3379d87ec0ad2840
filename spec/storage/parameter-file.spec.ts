import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParametersNotSavedError } from '../../lib/errors.js';
import { ParameterFile, type SavedParameters } from '../../lib/storage/parameter-file.js';
import { FolderFlushes } from '../support/folder-flushes.js';
import { LogCapture } from '../support/log-capture.js';

const values = (imagesequencenumber: number): SavedParameters => ({ parameters: { imagesequencenumber }, subdicts: { get_temps: { delay: '1' } } });

describe('the parameter file', () => {
  let dir: string;
  let path: string;
  /** Each folder flush: the folder, and the parameter file's values at that moment. */
  let flushes: { folder: string; held: unknown }[];
  let folders: FolderFlushes;
  let logged: LogCapture;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parameter-file-'));
    path = join(dir, 'pars.json');
    flushes = [];
    folders = new FolderFlushes((folder) => flushes.push({ folder, held: JSON.parse(readFileSync(path, 'utf8')) }));
    logged = new LogCapture();
  });
  afterEach(() => {
    folders.restore();
    logged.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const rejection = (save: Promise<void>): Promise<Error> => save.then(
    () => expect.fail('saved'),
    (error: Error) => error,
  );

  it('flushes its folder once the new values are in the file under its name, before the save resolves', async () => {
    const file = new ParameterFile(path);
    await file.save(() => values(7));
    expect(flushes).to.deep.equal([{ folder: dir, held: values(7) }]);
    await file.save(() => values(8));
    expect(flushes).to.deep.equal([{ folder: dir, held: values(7) }, { folder: dir, held: values(8) }]);
    expect(readdirSync(dir)).to.deep.equal(['pars.json']);
  });

  it('builds the values when a write starts: saves asked for before then cost one build, of the latest values', async () => {
    const file = new ParameterFile(path);
    const built: number[] = [];
    const saves = [1, 2, 3, 4].map((n) => file.save(() => (built.push(n), values(n))));
    expect(built, 'built when asked').to.deep.equal([]);
    await Promise.all(saves);
    expect(built).to.deep.equal([4]);
    expect(flushes.map(({ held }) => held)).to.deep.equal([values(4)]);
  });

  it('fails the save when its folder cannot be flushed, and logs it; the next save flushes it again', async () => {
    const file = new ParameterFile(path);
    folders.fail(dir, 'EIO');
    const failure = await rejection(file.save(() => values(7)));
    expect(failure).to.be.instanceOf(ParametersNotSavedError);
    expect(failure.message).to.match(/parameters written to .*pars\.json, but its folder could not be flushed: EIO/);
    expect(await logged.waitFor('parameters saved, but their folder could not be flushed', { path })).to.have.property('reason').that.matches(/^EIO/);
    expect(JSON.parse(readFileSync(path, 'utf8'))).to.deep.equal(values(7));
    folders.succeed(dir);
    await file.save(() => values(8));
    expect(flushes.map(({ held }) => held)).to.deep.equal([values(7), values(8)]);
  });

  it('saves on a file system that cannot flush a folder (EINVAL), as it keeps names as well as it can', async () => {
    const file = new ParameterFile(path);
    folders.fail(dir, 'EINVAL');
    await file.save(() => values(7));
    expect(flushes).to.have.length(1);
    expect(JSON.parse(readFileSync(path, 'utf8'))).to.deep.equal(values(7));
  });
});
