/**
 * The web API over real HTTP beside the command socket: the same dispatcher gives the same reply
 * line to both; GET runs only reading commands; POST needs JSON; the socket's access rules hold.
 */
import { expect } from 'chai';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { startCameraServer } from '../../lib/app.js';
import { DEFAULT_CONFIG } from '../../lib/config.js';
import { ListenError } from '../../lib/errors.js';
import { E2E } from '../e2e/support.js';
import { freePort, freePortPair, getApi, postApi, sendWithHeaders, startWithWeb } from './support.js';

describe('web API', () => {
  describe('beside the command socket', () => {
    // One server for these cases (each case leaves the camera idle).
    const e2e = new E2E();
    let url: string;
    let port: number;
    before(async () => {
      ({ url, port } = await startWithWeb(e2e));
    });
    after(() => e2e.cleanup());

    // [tool, command, args]: each runs over the socket and over HTTP; the replies must be equal.
    const SAME_REPLY: [string, string, string[]][] = [
      ['exposure', 'get_exposureflag', []],
      ['exposure', 'get_roi', []],
      ['exposure', 'get_format', []],
      ['exposure', 'get_image_types', []],
      ['exposure', 'get_filename', []],
      ['exposure', 'get_keyword', ['EXPTIME']],
      ['exposure', 'get_keyword', ['NOSUCHKEY']],
      ['tempcon', 'get_control_temperature', []],
      ['instrument', 'get_filters', []],
      ['parameters', 'get_par', ['imageroot']],
      ['parameters', 'get_par', ['nosuchparameter']],
      ['api', 'get_par', ['imagetype']],
      ['parameters', 'set_par', ['imagetitle', 'M31 field']],
      ['parameters', 'get_par', ['imagetitle']],
      ['exposure', 'set_roi', ['1', '9999']],
      ['nosuchtool', 'get_x', []],
      ['exposure', 'nosuchcommand', []],
    ];
    for (const [tool, command, args] of SAME_REPLY) {
      it(`${tool}.${command} ${args.join(' ')}: the same reply line as the socket`, async () => {
        const client = await e2e.connect(port);
        const line = [`${tool}.${command}`, ...args.map((arg) => (arg.includes(' ') ? `"${arg}"` : arg))].join(' ');
        const socketReply = await client.raw(line);
        const { status, body } = await postApi(url, { tool, command, args, kwargs: {} });
        expect(body.reply).to.equal(socketReply);
        expect(body.command).to.equal(`${tool}.${command}`);
        expect(status).to.equal(socketReply.startsWith('OK') ? 200 : status);
        if (socketReply.startsWith('ERROR')) {
          expect(status).to.be.within(400, 599);
          expect(body.message).to.equal(socketReply);
        }
      });
    }

    it('answers in azcam\'s shape: message, command, data (objects parsed, lists split)', async () => {
      const status = await getApi(`${url}/api/exposure/get_status`);
      expect(status.status).to.equal(200);
      expect(status.body).to.include({ message: 'Finished', command: 'exposure/get_status' });
      expect(status.body.data).to.deep.include({ exposurestate: 'NONE', progressbar: 0 });
      const temperatures = await getApi(`${url}/api/tempcon/get_temperatures`);
      expect(temperatures.body.data).to.be.an('array').with.length(3);
      const roi = await getApi(`${url}/api/exposure/get_roi`);
      expect(roi.body.data).to.deep.equal(['1', '2048', '1', '2048', '1', '1']);
    });

    it('GET takes keyword arguments from the query, by azcam\'s argument names', async () => {
      await postApi(url, { tool: 'parameters', command: 'set_par', args: [], kwargs: { parameter: 'imagetitle', value: 'by name' } });
      const { status, body } = await getApi(`${url}/api/parameters/get_par?parameter=imagetitle`);
      expect(status).to.equal(200);
      expect(body.data).to.equal('by name');
    });

    it('GET /api/{command} reaches the default tool api', async () => {
      const { status, body } = await getApi(`${url}/api/get_status`);
      expect(status).to.equal(200);
      expect(body.command).to.equal('get_status');
    });

    it("names the command as azcam's web API does: the path after /api/ for a GET, api.NAME for a POST", async () => {
      expect((await getApi(`${url}/api/get_par?parameter=imageroot`)).body).to.include({ command: 'get_par', data: 'itl.' });
      expect((await getApi(`${url}/api/parameters/get_par?parameter=imageroot`)).body.command).to.equal('parameters/get_par');
      expect((await postApi(url, { command: 'get_par', args: ['imageroot'], kwargs: {} })).body.command).to.equal('api.get_par');
      expect((await postApi(url, { tool: 'exposure', command: 'get_roi' })).body.command).to.equal('exposure.get_roi');
    });

    it('gives a string a command returns as the string itself, as azcam does (not split as the console splits the line)', async () => {
      await postApi(url, { command: 'set_image_title', args: ['M31 field'] });
      const { body } = await getApi(`${url}/api/get_image_title`);
      expect(body).to.include({ data: 'M31 field', reply: 'OK M31 field' });
      await postApi(url, { command: 'set_image_title', args: [''] });
      expect((await getApi(`${url}/api/get_image_title`)).body).to.include({ data: null, reply: 'OK' });
    });

    it('maps ERROR replies to 4xx with the same message: 404 unknown, 400 bad argument, 409 busy', async () => {
      expect((await getApi(`${url}/api/nosuchtool/get_x`)).status).to.equal(404);
      expect((await postApi(url, { tool: 'exposure', command: 'set_exposuretime', args: ['abc'] })).status).to.equal(400);
      const client = await e2e.connect(port);
      await client.command('exposure.expose1 30 object');
      const busy = await postApi(url, { tool: 'exposure', command: 'expose', args: ['1'] });
      expect(busy.status).to.equal(409);
      expect(busy.body.message).to.equal('ERROR exposure in progress');
      expect((await postApi(url, { tool: 'exposure', command: 'abort' })).body.reply).to.equal('OK');
    });

    it('GET refuses a command that changes state (405, nothing changed); POST runs it', async () => {
      const before = await getApi(`${url}/api/exposure/get_exposureflag`);
      for (const path of ['exposure/expose', 'exposure/expose1', 'exposure/abort', 'exposure/reset', 'exposure/check_image_ready', 'parameters/set_par?parameter=imagetitle&value=x', 'expose']) {
        const refused = await getApi(`${url}/api/${path}`);
        expect(refused.status, path).to.equal(405);
        expect(refused.body.message).to.match(/^ERROR .* changes state: use POST/);
      }
      expect((await getApi(`${url}/api/exposure/get_exposureflag`)).body.data).to.deep.equal(before.body.data);
      const posted = await postApi(url, { tool: 'exposure', command: 'set_exposuretime', args: [2.5] });
      expect(posted.body.reply).to.equal('OK');
      expect((await getApi(`${url}/api/exposure/get_exposuretime`)).body.data).to.equal('2.5');
    });

    it('POST with an Origin (a browser) takes JSON only: text/plain and forms, which a page may send cross-site, get 415', async () => {
      const body = JSON.stringify({ tool: 'exposure', command: 'expose1', args: ['0'] });
      const host = new URL(url).host;
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const refused = await sendWithHeaders(`${url}/api`, { host, origin: url, 'content-type': type }, 'POST', body);
        expect(refused.status, type).to.equal(415);
        expect((JSON.parse(refused.text) as { message: string }).message).to.match(/^ERROR Unsupported Media Type/);
      }
      const crossSite = await sendWithHeaders(`${url}/api`, { host, origin: 'http://evil.example', 'content-type': 'text/plain' }, 'POST', body);
      expect(crossSite.status).to.equal(403);
      expect((await getApi(`${url}/api/exposure/get_exposureflag`)).body.data).to.deep.equal(['0', 'NONE']);
    });

    it('POST without an Origin (curl -d, as azcam documents) takes a JSON object labelled as a form; text/plain still 415', async () => {
      // What `curl -X POST http://localhost:2403/api -d "@json.txt"` sends: a form content type.
      const json = JSON.stringify({ command: 'get_par', args: [], kwargs: { parameter: 'imageroot' } });
      const { status, body } = await postApi(url, json, 'application/x-www-form-urlencoded');
      expect(status).to.equal(200);
      expect(body).to.include({ command: 'api.get_par', data: 'itl.' });
      // An old browser's form may post text/plain with no Origin, its body written as the page chose.
      const titled = JSON.stringify({ tool: 'exposure', command: 'set_image_title', args: ['forged'] });
      for (const type of ['text/plain', 'multipart/form-data; boundary=x']) expect((await postApi(url, titled, type)).status, type).to.equal(415);
      expect((await getApi(`${url}/api/exposure/get_image_title`)).body.reply).to.equal('OK');
      expect((await postApi(url, '{"__proto__": {"x": 1}, "command": "get_status"}', 'application/x-www-form-urlencoded')).status).to.equal(400);
      for (const notAnObject of ['parameter=imageroot', '[1, 2]', '"text"']) {
        expect((await postApi(url, notAnObject, 'application/x-www-form-urlencoded')).status, notAnObject).to.be.oneOf([400, 415]);
      }
    });

    it('refuses malformed bodies with a clear ERROR', async () => {
      expect((await postApi(url, '{bad')).status).to.equal(400);
      const noCommand = await postApi(url, { tool: 'exposure' });
      expect(noCommand.status).to.equal(400);
      expect(noCommand.body.message).to.match(/^ERROR .*command/);
      expect((await postApi(url, { command: 'get_status', args: [{ nested: 1 }] })).status).to.equal(400);
    });

    it('confines image folders to the data directory, as over the socket', async () => {
      const { status, body } = await postApi(url, { tool: 'parameters', command: 'set_par', args: ['imagefolder', '/etc'] });
      expect(status).to.be.within(400, 499);
      expect(body.message).to.match(/^ERROR /);
      const client = await e2e.connect(port);
      expect(await client.raw('parameters.set_par imagefolder /etc')).to.equal(body.reply);
    });

    it('GET /api/tools lists every tool\'s commands from the command tables', async () => {
      const { tools } = (await (await fetch(`${url}/api/tools`)).json()) as { tools: { tool: string; commands: { name: string; reads: boolean; signature: string }[] }[] };
      const exposure = tools.find((tool) => tool.tool === 'exposure');
      expect(exposure?.commands.find((c) => c.name === 'expose')).to.include({ reads: false });
      expect(exposure?.commands.find((c) => c.name === 'get_status')).to.include({ reads: true });
      expect(tools.map((tool) => tool.tool)).to.include.members(['tempcon', 'parameters', 'api']);
    });

    it('/docs: the API reference, and its OpenAPI document generated from the tables', async () => {
      const page = await fetch(`${url}/docs/`);
      expect(page.status).to.equal(200);
      expect(await page.text()).to.match(/swagger/i);
      const document = (await (await fetch(`${url}/docs/json`)).json()) as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
      expect(document.openapi).to.match(/^3\./);
      expect(document.paths['/api/exposure/get_status']).to.have.property('get');
      expect(document.paths['/api/parameters/get_par']?.['get']?.parameters?.map((p) => p.name)).to.include('parameter');
      expect(document.paths).not.to.have.property('/api/exposure/expose'); // changes state: POST only
      expect(document.paths['/api']).to.have.property('post');
    });

    it('answers unknown paths with 404 in the same shape', async () => {
      const { status, body } = await getApi(`${url}/nothing/here`);
      expect(status).to.equal(404);
      expect(body.message).to.equal('ERROR not found: GET /nothing/here');
    });
  });

  describe('access and ports', () => {
    const e2e = new E2E();
    afterEach(() => e2e.cleanup());
    it('admits only --allow clients, as the socket does', async () => {
      const { url } = await startWithWeb(e2e, { allow: ['10.0.0.0/8'] });
      const { status, body } = await getApi(`${url}/api/exposure/get_status`);
      expect(status).to.equal(403);
      expect(body.message).to.equal('ERROR access denied');
      const page = await fetch(`${url}/`);
      expect(page.status).to.equal(403);
    });

    it('listens on the command port + 1 by default', async () => {
      const port = await freePortPair();
      const { app } = await e2e.start({ port, webPort: undefined });
      expect(app.webPort).to.equal(port + 1);
    });

    it('--web-port 0: no web server', async () => {
      const { app } = await e2e.start({ webPort: 0 });
      expect(app.webPort).to.equal(undefined);
    });

    it('a taken default web port: the command server still starts, without the web', async () => {
      const port = await freePortPair();
      const blocker = createServer().listen(port + 1, '127.0.0.1');
      await once(blocker, 'listening');
      try {
        const { app } = await e2e.start({ port, webPort: undefined });
        expect(app.webPort).to.equal(undefined);
        expect(await (await e2e.connect(port)).raw('echo still here')).to.equal('OK still here');
      } finally {
        blocker.close();
      }
    });

    it('a taken explicit --web-port is a ListenError (exit code 2), and nothing is left running', async () => {
      const blocker = createServer().listen(0, '127.0.0.1');
      await once(blocker, 'listening');
      const taken = (blocker.address() as { port: number }).port;
      try {
        const dataDir = e2e.dir();
        const port = await freePort();
        const failure = await startCameraServer({ ...DEFAULT_CONFIG, port, webPort: taken, dataDir, detector: 'sta2k', workers: 1 }).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).to.be.instanceOf(ListenError);
        expect((failure as Error).message).to.equal(`port ${taken} is in use by another process`);
        // The command port was released: a server can start on it at once.
        const { app } = await e2e.start({ port, webPort: 0, dataDir });
        expect(app.port).to.equal(port);
      } finally {
        blocker.close();
      }
    });
  });
});
