import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dispatcher } from '../../lib/dispatch/dispatcher.js';
import { ToolRegistry } from '../../lib/dispatch/registry.js';
import { Camera, registerCamera } from '../../lib/camera/camera.js';
import { ManualClock } from '../support/manual-clock.js';
import { FakeReadout } from '../support/fake-readout.js';
import { fakeSession, TINY } from './harness.js';

describe('camera', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'camera-spec-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('registers camera 1 under the plain tool names, api as the default tool', () => {
    const registry = registerCamera(new ToolRegistry(), new Camera({ detector: TINY, readout: new FakeReadout(), imageFolder: folder }));
    expect(registry.toolNames()).to.deep.equal(['api', 'controller', 'exposure', 'exposure.filename', 'exposure.image', 'exposure.sendimage', 'focus', 'instrument', 'parameters', 'tempcon']);
    expect(registry.methodsOf('api')).to.include.members(['abort', 'expose', 'expose1', 'get_par', 'get_status', 'get_temperatures', 'set_par', 'initialize_exposure', 'get_filter']);
    expect(registry.methodsOf('exposure')).to.include.members(['expose', 'expose1', 'get_status', 'get_roi', 'set_keyword']);
  });

  it('registers camera N under its prefix, each camera with its own state and lock', async () => {
    const clock = new ManualClock();
    const readout = new FakeReadout();
    const registry = new ToolRegistry();
    registerCamera(registry, new Camera({ detector: TINY, clock, readout, imageFolder: folder, name: 'cam1' }));
    registerCamera(registry, new Camera({ detector: TINY, clock, readout, imageFolder: folder, name: 'cam2' }), 'cam2');
    expect(registry.toolNames()).to.include.members(['exposure', 'cam2.exposure', 'cam2.tempcon', 'cam2.api']);
    const dispatcher = new Dispatcher(registry);
    const send = (line: string) => dispatcher.execute(line, fakeSession());

    await send('cam2.parameters.set_par imageroot cam2.');
    expect(await send('exposure.expose1 5')).to.equal('OK');
    expect(await send('cam2.exposure.expose1 1')).to.equal('OK');
    expect(await send('exposure.expose1')).to.equal('ERROR exposure in progress');
    expect(await send('cam2.exposure.get_exposureflag')).to.equal('OK 1 EXPOSING');
    await clock.advance(1000);
    const read = await readout.nextRead();
    expect(read.request).to.include({ camera: 'cam2', filename: join(folder, 'cam2.0001.fits') });
    expect(await send('exposure.get_exposureflag')).to.equal('OK 1 EXPOSING');
    expect(await send('cam2.exposure.get_exposureflag')).to.equal('OK 7 READOUT');
  });

  it('takes initial parameters, checked like set_par', () => {
    const camera = new Camera({ detector: TINY, readout: new FakeReadout(), imageFolder: folder, parameters: { imageroot: 'lab.', exposuretime: 3 } });
    expect(camera.parameters.get('imageroot')).to.equal('lab.');
    expect(() => new Camera({ detector: TINY, readout: new FakeReadout(), parameters: { lastcol: 1000 } })).to.throw('ROI out of range');
  });
});
