import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParameterFile } from '../../lib/storage/parameter-file.js';
import { FolderFlushes } from '../support/folder-flushes.js';
import { HeldParameterFile } from '../support/held-parameter-file.js';
import { CameraHarness } from './harness.js';

/** Sends `exposure.expose 1 zero` and reads its image out; its reply may still wait. */
async function readOut(camera: CameraHarness): Promise<{ reply: Promise<string> }> {
  const reply = camera.send('exposure.expose 1 zero');
  await camera.clock.timerSet();
  (await camera.toReadout()).complete();
  return { reply };
}

describe('parameters as azcam keeps them: subdicts, live values, the parameter file', () => {
  let h: CameraHarness;
  /** Cameras on a parameter file of the spec's; cleaned up after each spec, as `h` is. */
  const cameras: CameraHarness[] = [];
  const cameraOn = (file: ParameterFile): CameraHarness => {
    const camera = new CameraHarness({ parameterFile: file });
    cameras.push(camera);
    return camera;
  };
  /** Folder flushes a spec watches or fails; back to the real ones after each spec. */
  let folderFlushes: FolderFlushes | undefined;

  beforeEach(() => {
    h = new CameraHarness();
  });
  afterEach(async () => {
    try {
      // Their last saves write into h's folder: done before it goes.
      for (const camera of cameras) await camera.camera.parameterStore.saved().catch(() => undefined);
      for (const camera of [...cameras.splice(0), h]) camera.cleanup();
    } finally {
      folderFlushes?.restore();
      folderFlushes = undefined;
    }
  });

  it('takes the subdict the console sends, and sets the camera for a name the server knows', async () => {
    expect(await h.send(`set_par imagefolder ${h.folder}/night1 azcamconsole`)).to.equal('OK');
    expect(await h.send('get_par imagefolder azcamconsole')).to.equal(`OK ${h.folder}/night1`);
    expect(await h.send('get_par imagefolder')).to.equal(`OK ${h.folder}/night1`);
    expect(await h.send('get_par imageroot None')).to.equal('OK itl.');
  });

  it('keeps a name it does not know in the named subdict, typed as azcam types it', async () => {
    expect(await h.send('set_par delay 1 get_temps')).to.equal('OK');
    expect(await h.send('set_par gain 2.5 get_temps')).to.equal('OK');
    expect(await h.send('set_par label "dome flat" get_temps')).to.equal('OK');
    expect(await h.send('get_par delay get_temps')).to.equal('OK 1');
    expect(await h.send('get_par gain get_temps')).to.equal('OK 2.5');
    expect(await h.send('get_par label get_temps')).to.equal('OK dome flat');
    expect(await h.send('set_par scale 2.0 get_temps')).to.equal('OK');
    expect(await h.send('get_par scale get_temps')).to.equal('OK 2.0'); // a float, as Python writes it
    expect(await h.send('get_par delay')).to.equal('OK'); // not in the default subdict: None
    expect(await h.send('set_par delay 3')).to.equal('OK');
    expect(await h.send('get_par delay azcamserver')).to.equal('OK 3');
  });

  it('keeps inf and nan as text, which the reply and the parameter file hold as given', async () => {
    const file = new ParameterFile(join(h.folder, 'pars.json'));
    const camera = cameraOn(file);
    await camera.send('set_par limit inf get_temps');
    await camera.send('set_par floor -NaN get_temps');
    await camera.send('set_par count 1_000 get_temps');
    expect(await camera.send('get_par limit get_temps')).to.equal('OK inf');
    expect(await camera.send('get_par count get_temps')).to.equal('OK 1000.0');
    expect(await camera.send('save_pars')).to.equal('OK');
    const saved = JSON.parse(readFileSync(file.path, 'utf8')) as { subdicts: unknown };
    expect(saved.subdicts).to.deep.equal({ get_temps: { limit: 'inf', floor: '-NaN', count: '1000.0' } });
  });

  it('keeps every digit of an int through get_par, save_pars and a new camera on the file', async () => {
    const file = new ParameterFile(join(h.folder, 'pars.json'));
    const first = cameraOn(file);
    const second = cameraOn(file);
    expect(await first.send('set_par serial 12345678901234567890')).to.equal('OK');
    expect(await first.send('get_par serial')).to.equal('OK 12345678901234567890');
    expect(await first.send(`set_par serial ${'9'.repeat(4301)}`)).to.equal('ERROR integer too long: 4301 digits (Python int() takes at most 4300)');
    expect(await first.send('save_pars')).to.equal('OK');
    expect(JSON.parse(readFileSync(file.path, 'utf8'))).to.have.nested.property('subdicts.azcamserver.serial', '12345678901234567890');
    await second.camera.restoreParameters();
    expect(await second.send('get_par serial')).to.equal('OK 12345678901234567890');
  });

  it('answers the live values of azcam\'s parameter table', async () => {
    expect(await h.send('get_par controltemperature')).to.equal('OK -110.0');
    expect(await h.send('set_par controltemperature -100')).to.equal('OK');
    expect(await h.send('tempcon.get_control_temperature')).to.equal('OK -100.0');
    expect(await h.send('get_par camtemp')).to.match(/^OK -1\d\d\.\d+$/);
    expect(await h.send('get_par imagesizex')).to.equal('OK 64');
    expect(await h.send('get_par exposureflag')).to.equal('OK 0');
    expect(await h.send('get_par imagefiletype')).to.equal('OK 1');
    expect(await h.send('set_par imagefiletype 6')).to.equal('OK');
    expect(await h.send('get_par imageformat')).to.equal('OK assembled');
    expect(await h.send('get_par imagetest')).to.equal('OK 0');
    expect(await h.send('set_par lastfilename x')).to.equal('ERROR parameter lastfilename is read-only');
  });

  it('save_pars writes the settings and subdicts; a new camera on the same file starts from them', async () => {
    const file = new ParameterFile(join(h.folder, 'pars.json'));
    const first = cameraOn(file);
    await first.send(`set_par imagefolder ${h.folder}/night2`);
    await first.send('set_par imagesequencenumber 42');
    await first.send('set_par delay 1 get_temps');
    await first.send('set_par flusharray 0');
    expect(await first.send('save_pars')).to.equal('OK');
    const saved = JSON.parse(readFileSync(file.path, 'utf8')) as { parameters: Record<string, unknown>; subdicts: unknown };
    expect(saved.parameters).to.include({ imagesequencenumber: 42, imagefolder: `${h.folder}/night2`, flusharray: false });
    expect(saved.subdicts).to.deep.equal({ get_temps: { delay: '1' } });

    const second = cameraOn(file);
    await second.camera.restoreParameters();
    expect(await second.send('get_par imagesequencenumber')).to.equal('OK 42');
    expect(await second.send('get_par imagefolder')).to.equal(`OK ${h.folder}/night2`);
    expect(await second.send('get_par delay get_temps')).to.equal('OK 1');
    expect(await second.send('get_par flusharray')).to.equal('OK 0');
  });

  it("update_pars reads nothing from the file, as azcam's applies only the values it holds: a hand edit takes effect at the next start", async () => {
    const file = new ParameterFile(join(h.folder, 'pars.json'));
    const camera = cameraOn(file);
    await camera.send('set_par imagesequencenumber 7');
    await camera.send('set_par delay 1');
    await camera.send('set_par runid 007 get_temps');
    expect(await camera.send('save_pars')).to.equal('OK');
    const saved = JSON.parse(readFileSync(file.path, 'utf8')) as { parameters: Record<string, unknown> };
    const edited = { parameters: { ...saved.parameters, imagesequencenumber: 42 }, subdicts: { azcamserver: { delay: '5' }, get_temps: { runid: '008' } } };
    writeFileSync(file.path, JSON.stringify(edited));
    expect(await camera.send('parameters.update_pars')).to.equal('OK');
    expect(await camera.send('get_par imagesequencenumber')).to.equal('OK 7');
    expect(await camera.send('get_par delay')).to.equal('OK 1');
    expect(await camera.send('get_par runid get_temps')).to.equal('OK 7');
    const next = cameraOn(file);
    await next.camera.restoreParameters();
    expect(await next.send('get_par imagesequencenumber')).to.equal('OK 42');
    expect(await next.send('get_par delay')).to.equal('OK 5');
    expect(await next.send('get_par runid get_temps')).to.equal('OK 008');
  });

  it('saves by itself when a setting changes (the sequence number survives a crash)', async () => {
    const file = new ParameterFile(join(h.folder, 'pars.json'));
    const camera = cameraOn(file);
    await camera.send('set_par imagesequencenumber 7');
    await camera.camera.parameterStore.saved();
    expect(JSON.parse(readFileSync(file.path, 'utf8'))).to.have.nested.property('parameters.imagesequencenumber', 7);
  });

  it('builds the file\'s text for a write, never for a change: a change costs the same however many parameters are kept', async () => {
    const file = new ParameterFile(join(h.folder, 'pars.json'));
    const { parameterStore: store } = cameraOn(file).camera;
    let builds = 0;
    const snapshot = store.snapshot.bind(store);
    store.snapshot = () => (builds++, snapshot());
    for (let n = 0; n < 500; n++) store.set(`key${n}`, 'v'.repeat(100), `sub${n % 7}`);
    store.set('imagetitle', 'last', null);
    expect(builds, 'built by a change').to.equal(0);
    await store.saved();
    expect(builds).to.equal(1);
    const saved = JSON.parse(readFileSync(file.path, 'utf8')) as { parameters: Record<string, unknown>; subdicts: Record<string, object> };
    expect(saved.parameters).to.have.property('imagetitle', 'last');
    expect(Object.values(saved.subdicts).flatMap((values) => Object.keys(values))).to.have.length(500);
  });

  it('replies to an exposure only once the file holding its next sequence number is flushed, while set_par keeps the file writing', async () => {
    const folder = join(h.folder, 'parameters');
    mkdirSync(folder);
    const file = new ParameterFile(join(folder, 'pars.json'));
    const flushed: { parameters: { imagesequencenumber: number } }[] = [];
    folderFlushes = new FolderFlushes((flushing) => flushing === folder && flushed.push(JSON.parse(readFileSync(file.path, 'utf8')) as (typeof flushed)[number]));
    const camera = cameraOn(file);
    const changes = Array.from({ length: 200 }, (_, n) => camera.send(`set_par key${n} ${n} flood`));
    const { reply } = await readOut(camera);
    const flushedByReply = reply.then(() => flushed.map(({ parameters }) => parameters.imagesequencenumber));
    changes.push(...Array.from({ length: 200 }, (_, n) => camera.send(`set_par more${n} ${n} flood`)));
    expect(await reply).to.equal('OK');
    expect(await flushedByReply).to.include(2);
    expect(await Promise.all(changes)).to.satisfy((replies: string[]) => replies.every((line) => line === 'OK'));
  });

  it('replies to an exposure only once the next sequence number is in the parameter file', async () => {
    const file = new HeldParameterFile(join(h.folder, 'pars.json'));
    const camera = cameraOn(file);
    let replied = false;
    const { reply } = await readOut(camera);
    void reply.finally(() => (replied = true));
    await camera.settle();
    expect(replied, 'replied before the save').to.equal(false);
    expect(await camera.flag()).to.equal('OK 9 WRITING'); // a client polling after expose1 waits too
    expect(await camera.send('get_par lastfilename')).to.equal('OK');
    file.release();
    expect(await reply).to.equal('OK');
    expect(JSON.parse(readFileSync(file.path, 'utf8'))).to.have.nested.property('parameters.imagesequencenumber', 2);
  });

  it('cannot be aborted once its image is written: a failed save of the next number is its reply', async () => {
    const file = new HeldParameterFile(join(h.folder, 'pars.json'));
    const camera = cameraOn(file);
    const { reply } = await readOut(camera);
    await camera.settle();
    expect(await camera.send('exposure.abort')).to.equal('OK');
    expect(await camera.flag()).to.equal('OK 9 WRITING');
    file.release(new Error('disk full'));
    expect(await reply).to.match(/^ERROR "?image .*itl\.0001\.fits written, but the next sequence number could not be saved: disk full/);
    expect(await camera.send('get_par lastfilename')).to.match(/itl\.0001\.fits$/);
    expect(await camera.send('get_par imagesequencenumber')).to.equal('OK 2');
  });

  it('saves nothing before an exposure that takes no number replies', async () => {
    const camera = cameraOn(new ParameterFile(join(h.folder, 'no-such-folder', 'pars.json')));
    await camera.send('set_par imageautoincrementsequencenumber 0');
    const { reply } = await readOut(camera);
    expect(await reply).to.equal('OK');
  });

  it('fails an exposure whose next sequence number cannot be saved, and keeps the number of the image written', async () => {
    const camera = cameraOn(new ParameterFile(join(h.folder, 'no-such-folder', 'pars.json')));
    const { reply } = await readOut(camera);
    expect(await reply).to.match(/^ERROR "?image .*itl\.0001\.fits written, but the next sequence number could not be saved: parameters not saved to .*pars\.json: ENOENT/);
    expect(await camera.send('get_par imagesequencenumber')).to.equal('OK 2');
  });

  it("replies a failed flush of the parameter file's folder as the save's failure: to save_pars, and to the exposure whose number it saves", async () => {
    const folder = join(h.folder, 'parameters');
    mkdirSync(folder);
    folderFlushes = new FolderFlushes();
    folderFlushes.fail(folder, 'EIO');
    const camera = cameraOn(new ParameterFile(join(folder, 'pars.json')));
    expect(await camera.send('save_pars')).to.match(/^ERROR parameters written to .*pars\.json, but its folder could not be flushed: EIO/);
    const { reply } = await readOut(camera);
    expect(await reply).to.match(/^ERROR "?image .*itl\.0001\.fits written, but the next sequence number could not be saved: parameters written to .*pars\.json, but its folder could not be flushed: EIO/);
    folderFlushes.succeed(folder);
    expect(await camera.send('save_pars')).to.equal('OK');
  });

  it('starts from the defaults when the file is not JSON, and skips a saved value now refused', async () => {
    const path = join(h.folder, 'pars.json');
    writeFileSync(path, '{ not json');
    const broken = cameraOn(new ParameterFile(path));
    await broken.camera.restoreParameters();
    expect(await broken.send('get_par imagesequencenumber')).to.equal('OK 1');
    writeFileSync(path, JSON.stringify({ parameters: { imagesequencenumber: 9, colbin: 0, nosuch: 1 }, subdicts: { azcamserver: { serial: '9'.repeat(4301), delay: '1' } } }));
    const partly = cameraOn(new ParameterFile(path));
    await partly.camera.restoreParameters();
    expect(await partly.send('get_par imagesequencenumber')).to.equal('OK 9');
    expect(await partly.send('get_par colbin')).to.equal('OK 1');
    expect(await partly.send('get_par serial')).to.equal('OK');
    expect(await partly.send('get_par delay')).to.equal('OK 1');
  });

  it('reads a saved subdict value back as azcam does at start: the default subdict\'s typed again, the others\' text kept', async () => {
    const path = join(h.folder, 'pars.json');
    const edited = { scale: '2.0', delay: 1, gain: 2.5, limit: 'inf', label: 'dome flat', runid: '007', offset: '-5', count: '1_000' };
    writeFileSync(path, JSON.stringify({ parameters: {}, subdicts: { azcamserver: edited, get_temps: edited } }));
    const restored = cameraOn(new ParameterFile(path));
    await restored.camera.restoreParameters();
    const replies = (subdict: string) => Promise.all(Object.keys(edited).map((name) => restored.send(`get_par ${name} ${subdict}`)));
    // update_pars sets each value of the default subdict again, typed by get_datatype.
    expect(await replies('azcamserver')).to.deep.equal(['OK 2.0', 'OK 1', 'OK 2.5', 'OK inf', 'OK dome flat', 'OK 7', 'OK -5.0', 'OK 1000.0']);
    // read_parfile keeps the text of every other subdict; an older file's numbers are read by their value.
    expect(await replies('get_temps')).to.deep.equal(['OK 2.0', 'OK 1', 'OK 2.5', 'OK inf', 'OK dome flat', 'OK 007', 'OK -5', 'OK 1_000']);
    expect(await restored.send('save_pars')).to.equal('OK');
    expect(JSON.parse(readFileSync(path, 'utf8'))).to.have.nested.property('subdicts.get_temps.runid', '007');
  });

  it('reads a hand-edited name in capitals back in lower case, as azcam\'s read_parfile does', async () => {
    const path = join(h.folder, 'pars.json');
    writeFileSync(path, JSON.stringify({ parameters: {}, subdicts: { get_temps: { Delay: '3' } } }));
    const restored = cameraOn(new ParameterFile(path));
    await restored.camera.restoreParameters();
    expect(await restored.send('get_par DELAY get_temps')).to.equal('OK 3');
  });
});
