import { expect } from 'chai';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzcamClient } from '../../lib/client.js';
import { LOCK_FILE } from '../../lib/storage/data-dir-lock.js';
import { runScript, SERVER_SCRIPT, startServerProcess, type ScriptProcess } from './processes.js';

const FLAGS = [
  '--port',
  '--host',
  '--workers',
  '--detector',
  '--data-dir',
  '--max-line',
  '--welcome',
  '--allow-exit',
  '--allow',
  '--web-hosts',
  '--log-level',
  '--log-file',
  '--config',
  '--idle-timeout',
  '--cameras',
  '--max-queue',
  '--stop-timeout',
];

describe('scripts/server (spawned)', () => {
  let dir: string;
  const servers: ScriptProcess[] = [];
  const clients: AzcamClient[] = [];

  const start = async (args: string[] = [], wrapper: string[] = []): Promise<{ server: ScriptProcess; port: number }> => {
    const started = await startServerProcess(['--data-dir', dir, ...args], wrapper);
    servers.push(started.server);
    return started;
  };
  const connect = async (port: number, welcome = false): Promise<AzcamClient> => {
    const client = await AzcamClient.connect({ port, welcome });
    clients.push(client);
    return client;
  };

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'azcam-server-'))));

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close().catch(() => undefined);
    for (const server of servers.splice(0)) {
      server.kill('SIGKILL');
      await server.finished;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  describe('arguments', () => {
    it('--help documents every option and exits 0', async () => {
      const { code, stdout } = await runScript(SERVER_SCRIPT, ['--help']);
      expect(code).to.equal(0);
      for (const flag of FLAGS) expect(stdout).to.include(flag);
    });

    const refused: [string[], string][] = [
      [['--bogus'], 'Unknown argument: bogus'],
      [['--port', 'abc'], '--port expects a number, got "abc"'],
      [['--port', '70000'], 'port must be an integer from 0 to 65535, got 70000'],
      [['--port'], 'Not enough arguments following: port'],
      [['--port', '1', '--port', '2'], '--port given more than once'],
      [['--workers', '0'], 'workers must be an integer from 1'],
      [['--cameras', '17'], 'cameras must be an integer from 1 to 16'],
      [['--max-line', '10'], 'max-line must be an integer from 80'],
      [['--log-level', 'loud'], 'log-level'],
      [['--allow', 'lab-pc'], 'invalid --allow entry: lab-pc'],
      [['--web-hosts', 'lab-pc,lab-pc:2403'], 'invalid --web-hosts entry: "lab-pc:2403" (expected a host name without a port, or *)'],
      [['--idle-timeout', '-5'], 'idle-timeout must be a number of seconds >= 0'],
      [['--stop-timeout', '-1'], 'stop-timeout must be a number of seconds from 0 to 86400'],
      [['--config', '/nonexistent/azcam.json'], 'cannot read config file /nonexistent/azcam.json'],
    ];
    for (const [args, message] of refused) {
      it(`refuses ${args.join(' ')} with a message and exit code 2`, async () => {
        const { code, stderr } = await runScript(SERVER_SCRIPT, args);
        expect(stderr).to.include(message);
        expect(stderr).to.include('--help');
        expect(code).to.equal(2);
      });
    }

    it('refuses a config file with an unknown key, naming it, with exit code 2', async () => {
      const path = join(dir, 'server.json');
      writeFileSync(path, JSON.stringify({ port: 0, prot: 2402 }));
      const { code, stderr } = await runScript(SERVER_SCRIPT, ['--config', path]);
      expect(stderr).to.include('unknown key "prot"');
      expect(code).to.equal(2);
    });

    it('takes settings from --config, with flags overriding it', async () => {
      const path = join(dir, 'server.json');
      writeFileSync(path, JSON.stringify({ welcome: 'from the file', 'max-line': 100 }));
      const { port } = await start(['--config', path, '--welcome', 'from the flag']);
      const client = await connect(port, true);
      expect(client.welcome).to.equal('from the flag');
      expect(await client.raw(`echo ${'x'.repeat(150)}`)).to.equal('ERROR line too long');
    });
  });

  describe('running', () => {
    it('logs the address it listens on at info, and answers commands there', async () => {
      const { server, port } = await start();
      expect(server.stderr).to.match(new RegExp(`info listening on 127\\.0\\.0\\.1:${port}\\b`));
      expect(await (await connect(port)).raw('echo hello')).to.equal('OK hello');
    });

    it('logs "listening" once', async () => {
      const { server } = await start();
      server.kill('SIGTERM');
      const { stderr } = await server.finished;
      expect(stderr.match(/listening/g)).to.have.length(1);
    });

    it('logs connections and disconnections at info', async () => {
      const { server, port } = await start();
      const client = await connect(port);
      await client.raw('register night');
      await client.close();
      await server.waitForOutput(/info client disconnected \{"client":"night_\d+"\}/);
      expect(server.stderr).to.match(/info client connected \{"client":"client_\d+","address":"127\.0\.0\.1"\}/);
    });

    it('refuses a port in use with one line and exit code 2', async () => {
      const { port } = await start();
      const other = join(dir, 'other');
      const { code, stderr } = await runScript(SERVER_SCRIPT, ['--port', String(port), '--data-dir', other]);
      expect(stderr).to.equal(`azcam-server: port ${port} is in use by another process\n`);
      expect(code).to.equal(2);
    });

    for (const [which, port] of [['the same port', undefined], ['another port', '0']] as const) {
      it(`refuses a data directory in use by a running server, on ${which}, with one line and exit code 2, touching none of its files`, async () => {
        const { server, port: running } = await start();
        const writing = join(dir, '.itl.0004.fits.0123456789ab.tmp');
        writeFileSync(writing, 'being written');
        const { code, stderr } = await runScript(SERVER_SCRIPT, ['--port', port ?? String(running), '--data-dir', dir, '--web-port', '0']);
        expect(stderr).to.equal(`azcam-server: data directory ${dir} is in use by another server (pid ${server.child.pid})\n`);
        expect(code).to.equal(2);
        expect(readFileSync(writing, 'utf8')).to.equal('being written');
        expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).to.equal(`${server.child.pid}\n`);
        expect(await (await connect(running)).raw('echo still here')).to.equal('OK still here');
      });
    }

    it('after kill -9, the next start takes the dead server\'s data directory over and removes its temporary files', async () => {
      const { server } = await start();
      const left = join(dir, '.itl.0004.fits.0123456789ab.tmp');
      writeFileSync(left, 'cut short');
      server.kill('SIGKILL');
      await server.finished;
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).to.equal(`${server.child.pid}\n`);

      const { server: next } = await start();
      expect(next.stderr).to.include('taking over the data directory from a server no longer running');
      expect(next.stderr).to.include('removed temporary files left by an interrupted write');
      expect(existsSync(left)).to.equal(false);
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).to.equal(`${next.child.pid}\n`);
      next.kill('SIGTERM');
      expect((await next.finished).code).to.equal(0);
      expect(existsSync(join(dir, LOCK_FILE))).to.equal(false);
    });

    it('writes JSON log lines to --log-file', async () => {
      const logFile = join(dir, 'server.log');
      const { server, port } = await start(['--log-file', logFile]);
      server.kill('SIGTERM');
      expect((await server.finished).code).to.equal(0);
      const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      const listening = lines.find((line) => String(line['message']).startsWith('listening on'));
      expect(listening).to.include({ level: 'info', message: `listening on 127.0.0.1:${port}` });
    });

    it('stops when a loopback client sends exit under --allow-exit, exit code 0', async () => {
      const { server, port } = await start(['--allow-exit']);
      expect(await (await connect(port)).raw('exit')).to.equal('OK');
      expect((await server.finished).code).to.equal(0);
    });
  });

  describe('signals', () => {
    it('stops gracefully on SIGTERM: clients are disconnected, exit code 0', async () => {
      const { server, port } = await start();
      const client = await connect(port);
      expect(await client.raw('echo before')).to.equal('OK before');
      server.kill('SIGTERM');
      await client.closed;
      const { code, stderr } = await server.finished;
      expect(stderr).to.include('SIGTERM: stopping gracefully');
      expect(code).to.equal(0);
    });

    it('SIGHUP reopens --log-file (after logrotate renamed it) and the server goes on', async () => {
      const logFile = join(dir, 'server.log');
      const { server, port } = await start(['--log-file', logFile]);
      renameSync(logFile, `${logFile}.1`);
      server.kill('SIGHUP');
      await server.waitForOutput(/SIGHUP: log file reopened/);
      expect(await (await connect(port)).raw('echo still here')).to.equal('OK still here');
      server.kill('SIGTERM');
      expect((await server.finished).code).to.equal(0);
      expect(readFileSync(`${logFile}.1`, 'utf8')).to.include('listening on').and.not.include('SIGHUP');
      const reopened = readFileSync(logFile, 'utf8');
      expect(reopened).to.include('SIGHUP: log file reopened').and.include('client connected').and.include('server stopped');
    });

    it('SIGHUP without --log-file does not stop the server', async () => {
      const { server, port } = await start();
      server.kill('SIGHUP');
      await server.waitForOutput(/SIGHUP: no --log-file to reopen/);
      expect(await (await connect(port)).raw('echo still here')).to.equal('OK still here');
    });

    it('after refusing a client not in --allow, SIGTERM still stops gracefully and logs it', async () => {
      const { server, port } = await start(['--allow', '10.1.2.3']);
      // As `echo echo | nc -q1 host port` does: send a line, read the refusal, close.
      const socket = connectSocket(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.end('echo\n');
      expect(String((await once(socket, 'data'))[0])).to.equal('ERROR access denied\r\n');
      socket.destroy();
      await once(socket, 'close');
      server.kill('SIGTERM');
      const { code, stderr } = await server.finished;
      expect(stderr).to.include('server stopped');
      expect(code).to.equal(0);
    });

    it('stops gracefully on SIGINT too', async () => {
      const { server } = await start();
      server.kill('SIGINT');
      expect((await server.finished).code).to.equal(0);
    });

    it('on SIGTERM with commands pipelined, those run reply in order, the rest are refused, exit 0', async () => {
      const { server, port } = await start();
      const client = await connect(port);
      const replies = Array.from({ length: 2000 }, (_, i) => client.raw(`echo ${i}`).catch((error: Error) => error.message));
      await replies[0];
      server.kill('SIGTERM');
      const lines = await Promise.all(replies);
      const firstNotRun = lines.findIndex((line) => !line.startsWith('OK '));
      const ran = firstNotRun === -1 ? lines.length : firstNotRun;
      expect(lines.slice(0, ran)).to.deep.equal(lines.slice(0, ran).map((_, i) => `OK ${i}`));
      // Queued commands are refused; those the server had not read yet die with the connection.
      for (const line of lines.slice(ran)) expect(line).to.be.oneOf(['ERROR server shutting down', 'connection closed']);
      expect((await server.finished).code).to.equal(0);
    });

    it('reads out when node itself was given flags (a worker thread refuses most of them)', async () => {
      const { port } = await start([], ['sh', '-c', 'exec "$0" --max-old-space-size=512 --trace-gc "$@"']);
      expect(await (await connect(port)).raw('exposure.expose 0 zero', 0)).to.equal('OK');
    });

    it('on SIGTERM with an exposure in flight, the exposure still gets its reply, then exit 0', async () => {
      const { server, port } = await start();
      const monitor = await connect(port);
      const exposing = (await connect(port)).raw('exposure.expose 0.5', 0);
      await waitUntilExposing(monitor);
      server.kill('SIGTERM');
      expect(await exposing).to.match(/^OK\b/);
      expect((await server.finished).code).to.equal(0);
    });
  });
});

/** Polls the status until an exposure has begun (there is no event to wait on over the protocol). */
async function waitUntilExposing(monitor: AzcamClient): Promise<void> {
  for (;;) {
    const status = (await monitor.command('exposure.get_status')) as { exposurestate: string };
    if (status.exposurestate !== 'NONE') return;
  }
}
