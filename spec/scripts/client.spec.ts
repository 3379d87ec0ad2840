import { expect } from 'chai';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzcamClient } from '../../lib/client.js';
import { CLIENT_SCRIPT, runScript, ScriptProcess, startServerProcess } from './processes.js';

describe('scripts/client (spawned, against a spawned server)', () => {
  let server: ScriptProcess;
  let port: number;
  let dir: string;
  const client = (args: string[], input?: string) => runScript(CLIENT_SCRIPT, ['--port', String(port), ...args], input);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'azcam-client-'));
    // With a welcome line, so every test also checks that the client keeps it apart from replies.
    ({ server, port } = await startServerProcess(['--data-dir', dir, '--welcome', 'azcam test server']));
  });

  after(async () => {
    server.kill('SIGTERM');
    await server.finished;
    rmSync(dir, { recursive: true, force: true });
  });

  describe('one command', () => {
    it('prints the reply line and exits 0 on OK', async () => {
      expect(await client(['echo', 'hello'])).to.deep.include({ code: 0, stdout: 'OK hello\n' });
    });

    it('prints the reply line and exits 1 on ERROR', async () => {
      expect(await client(['nosuchtool.get'])).to.deep.include({ code: 1, stdout: 'ERROR remote call not allowed: nosuchtool\n' });
    });

    it('takes the whole command as one word, too', async () => {
      expect(await client(['echo hello there'])).to.deep.include({ code: 0, stdout: 'OK hello there\n' });
    });

    it('re-quotes words the shell has unquoted (echo replies the line as sent)', async () => {
      expect(await client(['echo', "it's", 'C:\\data', '#1'])).to.deep.include({ code: 0, stdout: `OK 'it'"'"'s' C:\\data '#1'\n` });
    });

    it('takes options anywhere, and after -- passes words that look like options through', async () => {
      expect(await client(['echo', 'hello', '--timeout', '5'])).to.deep.include({ code: 0, stdout: 'OK hello\n' });
      expect(await client(['echo', '--', '--port', '-1'])).to.deep.include({ code: 0, stdout: 'OK --port -1\n' });
    });

    it('sends a negative number as a word', async () => {
      expect(await client(['echo', '-110'])).to.deep.include({ code: 0, stdout: 'OK -110\n' });
    });
  });

  describe('--file', () => {
    let file: string;
    beforeEach(() => (file = join(dir, 'commands.txt')));

    it('sends each line in order and prints the replies, skipping blank and comment lines', async () => {
      writeFileSync(file, 'echo one\n\n# a comment\r\necho two\r\n   \necho three');
      expect(await client(['--file', file])).to.deep.include({ code: 0, stdout: 'OK one\nOK two\nOK three\n' });
    });

    it('stops at the first ERROR, exit code 1', async () => {
      writeFileSync(file, 'echo one\nbogus\necho never\n');
      expect(await client(['--file', file])).to.deep.include({ code: 1, stdout: 'OK one\nERROR unknown command: bogus\n' });
    });
  });

  describe('without a command', () => {
    it('reads commands from stdin when it is not a terminal, by the rule of --file', async () => {
      expect(await client([], 'echo a\n\n# not sent\necho b\n')).to.deep.include({ code: 0, stdout: 'OK a\nOK b\n' });
      expect(await client([], 'echo a\nbogus\necho never\n')).to.deep.include({ code: 1, stdout: 'OK a\nERROR unknown command: bogus\n' });
    });

    it('ends when the server closes the connection', async () => {
      expect(await client([], 'echo a\ncloseconnection\necho never\n')).to.deep.include({ code: 0, stdout: 'OK a\nOK\n' });
    });
  });

  describe('failures', () => {
    it('exits 2 with a message for a bad option', async () => {
      const { code, stderr } = await client(['--bogus', 'echo']);
      expect(stderr).to.include('Unknown argument: bogus');
      expect(code).to.equal(2);
    });

    it('words a bad number as the server does, exit code 2', async () => {
      const { code, stderr } = await runScript(CLIENT_SCRIPT, ['--port', 'abc', 'echo']);
      expect(stderr).to.include('--port expects a number, got "abc"');
      expect(code).to.equal(2);
    });

    it('--help gives the option types and examples', async () => {
      const { code, stdout } = await runScript(CLIENT_SCRIPT, ['--help']);
      expect(stdout).to.match(/--port\s.*\[number\]/).and.match(/--timeout\s.*\[number\]/).and.include('Examples:').and.include('--abort-on-interrupt');
      expect(code).to.equal(0);
    });

    it('exits 2 when given both a command and --file', async () => {
      const { code, stderr } = await client(['--file', 'x.txt', 'echo']);
      expect(stderr).to.include('either a command or --file');
      expect(code).to.equal(2);
    });

    it('exits 3 when it cannot connect', async () => {
      const probe = createServer().listen(0, '127.0.0.1');
      await once(probe, 'listening');
      const { port: closedPort } = probe.address() as { port: number };
      probe.close();
      const { code, stderr } = await runScript(CLIENT_SCRIPT, ['--port', String(closedPort), 'echo']);
      expect(stderr).to.include(`cannot connect to 127.0.0.1:${closedPort}`);
      expect(code).to.equal(3);
    });
  });

  describe('--progress', () => {
    it('prints the ERROR reply of an expose the server refuses, exit code 1', async () => {
      expect(await client(['--progress', 'exposure.expose1', 'abc'])).to.deep.include({
        code: 1,
        stdout: 'ERROR invalid exposure time: abc\n',
      });
    });

    it('expose1: follows the exposure, then prints the reply and the file name', async () => {
      const { code, stdout } = await client(['--progress', 'exposure.expose1', '0.1']);
      expect(stdout).to.match(/^OK\n\S.*\n$/);
      expect(code).to.equal(0);
    });

    it('expose1: reports a readout that fails after the reply, exit code 1', async () => {
      writeFileSync(join(dir, 'blocker'), 'a file where the image folder should be');
      expect(await client(['set_par', 'imagefolder', 'blocker'])).to.include({ code: 0 });
      try {
        const { code, stdout } = await client(['--progress', 'exposure.expose1', '0']);
        expect(stdout).to.match(/^OK\nERROR cannot write image \S*blocker\S*: image folder is not a directory\n$/);
        expect(code).to.equal(1);
      } finally {
        await client(['set_par', 'imagefolder', '.']);
      }
    });

    it('expose: follows the exposure, then prints its reply, and says how it ended', async () => {
      const { code, stdout, stderr } = await client(['--progress', 'exposure.expose', '0.1']);
      expect(stdout).to.match(/^OK\b.*\n$/);
      expect(stderr).to.match(/^written \S+\.fits$/m);
      expect(code).to.equal(0);
    });

    it('--abort-on-interrupt: Ctrl-C (SIGINT) during an exposure aborts it and says so', async () => {
      const run = new ScriptProcess(CLIENT_SCRIPT, ['--port', String(port), '--progress', '--abort-on-interrupt', 'exposure.expose', '30']);
      const monitor = await AzcamClient.connect({ port });
      try {
        while (((await monitor.command('exposure.get_status')) as { exposurestate: string }).exposurestate !== 'EXPOSING');
        run.kill('SIGINT');
        const { code, stderr } = await run.finished;
        expect(stderr).to.include('aborting the exposure').and.match(/^aborted$/m);
        expect(code).to.equal(0); // azcam: an expose aborted by a client replies OK
      } finally {
        await monitor.close();
      }
    });
  });
});
