import { expect } from 'chai';
import { execSync } from 'node:child_process';
import { LineClient } from '../support/line-client.js';
import { startServer, type TestServer } from '../support/test-tools.js';

const CONNECTIONS = 1000;
const COMMANDS = 5;
/** Connect in batches: the listen backlog (511) would otherwise drop SYNs and cost seconds of retries. */
const BATCH = 200;

/** Open file descriptors allowed; each connection costs two here (client and server end). */
function fileLimit(): number {
  try {
    const limit = execSync('ulimit -n', { encoding: 'utf8', shell: '/bin/sh' }).trim();
    return limit === 'unlimited' ? Number.POSITIVE_INFINITY : Number(limit);
  } catch {
    return 1024;
  }
}

describe('load', () => {
  let test: TestServer;
  const clients: LineClient[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await test.server.stop();
  });

  it(`gives each of ${CONNECTIONS} concurrent connections one reply per pipelined command, in order`, async function () {
    this.timeout(30_000);
    const connections = Math.min(CONNECTIONS, Math.floor((fileLimit() - 100) / 2));
    test = await startServer();
    for (let start = 0; start < connections; start += BATCH) {
      const count = Math.min(BATCH, connections - start);
      clients.push(...(await Promise.all(Array.from({ length: count }, () => LineClient.connect(test.port)))));
    }

    const replies = await Promise.all(
      clients.map((c, n) => {
        c.send(Array.from({ length: COMMANDS }, (_, i) => `echo ${n}-${i}\n`).join(''));
        return c.nextLines(COMMANDS);
      }),
    );

    let answered = 0;
    replies.forEach((lines, n) => {
      expect(lines, `connection ${n}`).to.deep.equal(Array.from({ length: COMMANDS }, (_, i) => `OK ${n}-${i}`));
      answered += lines.length;
    });
    expect(answered).to.equal(connections * COMMANDS);
    expect(test.server.clientCount).to.equal(connections);
    // Nothing extra after the last reply: one more round trip on every connection.
    const extra = await Promise.all(clients.map((c, n) => c.command(`echo done-${n}`)));
    expect(extra).to.deep.equal(clients.map((_, n) => `OK done-${n}`));
  });
});
