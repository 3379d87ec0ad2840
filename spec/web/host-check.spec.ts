/**
 * DNS rebinding over real HTTP: a request sent to a host name that is not the server's is refused
 * on every route and changes nothing; requests to its addresses, localhost and its own names work.
 */
import { expect } from 'chai';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import type { ApiBody } from '../../lib/web/api-reply.js';
import { E2E } from '../e2e/support.js';
import { LogCapture } from '../support/log-capture.js';
import { getApi, sendWithHeaders, startWithWeb } from './support.js';

const REBOUND = 'rebind.attacker.example';
const SET_TITLE = JSON.stringify({ tool: 'parameters', command: 'set_par', args: ['imagetitle', 'rebound'] });
const EXPOSE = JSON.stringify({ tool: 'exposure', command: 'expose', args: [0.1, 'zero', 'rebound'] });

function post(url: string, body: string, headers: Record<string, string>) {
  return sendWithHeaders(`${url}/api`, { 'content-type': 'application/json', ...headers }, 'POST', body);
}

describe('web port Host check', () => {
  describe('on the default host (127.0.0.1)', () => {
    const e2e = new E2E();
    let url: string;
    let webPort: number | undefined;
    let port: number;
    let dataDir: string;
    before(async () => {
      ({ url, port, dataDir, app: { webPort } } = await startWithWeb(e2e));
    });
    after(() => e2e.cleanup());

    it('refuses a rebinding Host on every route with 403 in the API\'s shape, naming the host and --web-hosts', async () => {
      for (const path of ['/', '/api/exposure/get_status', '/api/tools', '/events', '/preview/cam1.png', '/docs', '/docs/json', '/metrics', '/no/such/path']) {
        const { status, text } = await sendWithHeaders(`${url}${path}`, { host: `${REBOUND}:${webPort}` });
        expect(status, path).to.equal(403);
        const message = `ERROR access denied: Host "${REBOUND}:${webPort}" is not a name of this server (allow it with --web-hosts)`;
        expect(JSON.parse(text) as ApiBody, path).to.deep.equal({ message, command: '', data: null, reply: message });
      }
    });

    it('a rebinding POST changes nothing: no parameter set, no exposure started', async () => {
      for (const body of [SET_TITLE, EXPOSE]) {
        const { status } = await post(url, body, { host: `${REBOUND}:${webPort}`, origin: `http://${REBOUND}:${webPort}` });
        expect(status).to.equal(403);
      }
      const client = await e2e.connect(port);
      expect(await client.raw('parameters.get_par imagetitle')).to.not.include('rebound');
      expect(await client.raw('exposure.get_exposureflag')).to.match(/ NONE$/);
      expect(readdirSync(dataDir).filter((file) => file.endsWith('.fits'))).to.deep.equal([]);
    });

    it('serves requests to its addresses, localhost and this machine\'s name, with or without a port', async () => {
      const hosts = [`127.0.0.1:${webPort}`, `localhost:${webPort}`, 'localhost', `[::1]:${webPort}`, hostname(), `${hostname().toUpperCase()}:${webPort}`];
      for (const host of hosts) {
        const { status } = await sendWithHeaders(`${url}/api/exposure/get_status`, { host });
        expect(status, host).to.equal(200);
      }
      expect((await getApi(`${url}/api/exposure/get_status`)).status, 'fetch').to.equal(200);
    });

    it('serves a request without a Host (HTTP/1.0)', async () => {
      const socket = connect(webPort ?? 0, '127.0.0.1');
      await once(socket, 'connect');
      socket.end('GET /api/exposure/get_status HTTP/1.0\r\n\r\n');
      const chunks: Buffer[] = [];
      for await (const chunk of socket) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).to.match(/^HTTP\/1\.1 200 OK\r\n/);
    });

    it('refuses a POST from another origin before it runs; runs one from its own page or without an Origin', async () => {
      const own = `127.0.0.1:${webPort}`;
      const refused = await post(url, SET_TITLE, { host: own, origin: 'http://attacker.example' });
      expect(refused.status).to.equal(403);
      expect((JSON.parse(refused.text) as ApiBody).message).to.equal(`ERROR access denied: cross-origin POST from "http://attacker.example" to "${own}"`);
      const client = await e2e.connect(port);
      expect(await client.raw('parameters.get_par imagetitle')).to.not.include('rebound');
      expect((await post(url, SET_TITLE, { host: own, origin: `http://${own}` })).status).to.equal(200);
      expect(await client.raw('parameters.get_par imagetitle')).to.equal('OK rebound');
      expect((await post(url, SET_TITLE, { host: own })).status).to.equal(200);
    });
  });

  describe('settings', () => {
    const e2e = new E2E();
    afterEach(() => e2e.cleanup());

    it('--web-hosts names are served, and * serves any host', async () => {
      const named = await startWithWeb(e2e, { webHosts: ['ccd-lab.example.org'] });
      expect((await sendWithHeaders(`${named.url}/metrics`, { host: 'CCD-lab.example.org.:2403' })).status).to.equal(200);
      expect((await sendWithHeaders(`${named.url}/metrics`, { host: REBOUND })).status).to.equal(403);
      const any = await startWithWeb(e2e, { webHosts: ['*'] });
      expect((await sendWithHeaders(`${any.url}/metrics`, { host: REBOUND })).status).to.equal(200);
    });

    it('a flood of refused requests logs one warning, and the count held back when the server stops', async () => {
      const { app, url } = await startWithWeb(e2e);
      const capture = new LogCapture();
      const warnings = () => capture.entries.filter((entry) => entry.message === 'web client refused');
      try {
        for (let n = 0; n < 20; n++) await sendWithHeaders(`${url}/api/get_status`, { host: REBOUND });
        expect(warnings()).to.have.length(1);
        expect(warnings()[0]).to.include({ level: 'warn', address: '127.0.0.1' });
        expect(warnings()[0]?.['reason']).to.include(REBOUND);
        await app.stop();
        expect(warnings()).to.have.length(2);
        expect(warnings()[1]).to.include({ level: 'warn', heldBack: 19 });
      } finally {
        capture.stop();
      }
    });
  });
});
