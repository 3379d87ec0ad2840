import { expect } from 'chai';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { E2E } from '../e2e/support.js';
import { runScript, SERVER_SCRIPT, startServerProcess } from '../scripts/processes.js';
import { freePort, sendWithHeaders } from './support.js';

describe('azcam-server --web-port (spawned)', () => {
  const e2e = new E2E();
  afterEach(() => e2e.cleanup());

  it('exits 2 with one line when an explicit --web-port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const taken = (blocker.address() as { port: number }).port;
    try {
      const args = ['--port', String(await freePort()), '--web-port', String(taken), '--data-dir', e2e.dir(), '--workers', '1'];
      const { code, stderr } = await runScript(SERVER_SCRIPT, args);
      // The command server had started: its own log lines come first.
      expect(stderr).to.match(new RegExp(`\nazcam-server: port ${taken} is in use by another process\n$`));
      expect(code).to.equal(2);
    } finally {
      blocker.close();
    }
  });

  it('--web-hosts takes names comma-separated and repeated', async () => {
    const webPort = await freePort();
    const args = ['--web-port', String(webPort), '--data-dir', e2e.dir(), '--web-hosts', 'ccd-a,ccd-b.example.org', '--web-hosts', 'ccd-c'];
    const { server } = await startServerProcess(args);
    try {
      const statusFor = async (host: string) => (await sendWithHeaders(`http://127.0.0.1:${webPort}/api/get_status`, { host })).status;
      for (const host of ['ccd-a', 'ccd-b.example.org:80', 'ccd-c']) expect(await statusFor(host), host).to.equal(200);
      expect(await statusFor('ccd-d')).to.equal(403);
    } finally {
      server.kill('SIGKILL');
      await server.finished;
    }
  });
});
