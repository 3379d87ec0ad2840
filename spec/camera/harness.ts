import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dispatcher } from '../../lib/dispatch/dispatcher.js';
import { ToolRegistry } from '../../lib/dispatch/registry.js';
import type { Session } from '../../lib/dispatch/session.js';
import { Camera, registerCamera, type CameraOptions } from '../../lib/camera/camera.js';
import { makeGeometry, type DetectorGeometry } from '../../lib/readout/geometry.js';
import { ManualClock, settle } from '../support/manual-clock.js';
import { FakeReadout, type PendingRead } from '../support/fake-readout.js';

/** 64 x 32 pixels read through 2 amps: small enough to reason about. */
export const TINY: DetectorGeometry = makeGeometry({ name: 'tiny', width: 64, height: 32, amps: 2, prescan: 2, overscanCols: 4, overscanRows: 2 });

export function fakeSession(name = 'client_1'): Session {
  return { id: 1, name, address: '127.0.0.1', isLoopback: true, closeAfterReply: () => undefined };
}

/** A camera on a manual clock and a fake readout, commanded through the real dispatcher. */
export class CameraHarness {
  readonly clock = new ManualClock();
  readonly readout = new FakeReadout();
  /** A fresh temporary image folder. */
  readonly folder = mkdtempSync(join(tmpdir(), 'camera-spec-'));
  readonly camera: Camera;
  readonly registry: ToolRegistry;
  readonly dispatcher: Dispatcher;
  readonly session = fakeSession();

  constructor(options: Partial<CameraOptions> = {}) {
    this.camera = new Camera({ detector: TINY, clock: this.clock, readout: this.readout, imageFolder: this.folder, ...options });
    this.registry = registerCamera(new ToolRegistry(), this.camera);
    this.dispatcher = new Dispatcher(this.registry);
  }

  /** The reply line to `line`, as a client (this harness's own, unless another is named) would read it. */
  async send(line: string, session = this.session): Promise<string> {
    return this.dispatcher.execute(line, session);
  }

  /** Starts an exposure with expose1 and waits until it integrates. */
  async startExposure(args = ''): Promise<void> {
    const reply = await this.send(`exposure.expose1 ${args}`);
    if (reply !== 'OK') throw new Error(`expose1 ${args}: ${reply}`);
  }

  /** Integrates to the end and waits for the readout the exposure then starts. */
  async toReadout(): Promise<PendingRead> {
    await this.clock.advance(this.camera.parameters.get('exposuretime') * 1000);
    return this.readout.nextRead();
  }

  /** Lets every integration and delay run to its end (a second at a time) until `reply` settles. */
  async runToEnd(reply: Promise<string>): Promise<string> {
    let done = false;
    void reply.finally(() => (done = true));
    while (!done) await this.clock.advance(1000);
    return reply;
  }

  async flag(): Promise<string> {
    return this.send('exposure.get_exposureflag');
  }

  async status(): Promise<Record<string, unknown>> {
    const reply = await this.send('exposure.get_status');
    return JSON.parse(reply.slice('OK '.length)) as Record<string, unknown>;
  }

  settle(): Promise<void> {
    return settle();
  }

  cleanup(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}
