/**
 * Ctrl-C while an exposure runs: abort it, asking first unless --abort-on-interrupt said not to.
 * The progress bar stops drawing meanwhile, so the question and the terminal stay readable.
 */
import type { Interface } from 'node:readline';
import { isOkReply } from '../../lib/protocol/reply.js';
import { abortExposure, type Session } from './session.js';

export const ABORT_QUESTION = 'abort the exposure? [y/N] ';

export async function interruptExposure(session: Session, rl: Interface, askFirst: boolean): Promise<void> {
  const exposure = session.exposure;
  if (!exposure || exposure.question) return;
  exposure.display?.hold();
  if (askFirst && !(await ask(rl, exposure))) {
    exposure.display?.release();
    return;
  }
  process.stderr.write('aborting the exposure\n');
  const reply = await abortExposure(session);
  if (!isOkReply(reply)) process.stderr.write(`${exposure.tool}abort: ${reply}\n`);
}

/** True for an answer starting with y; false for anything else, or when the exposure ends first. */
async function ask(rl: Interface, exposure: NonNullable<Session['exposure']>): Promise<boolean> {
  const question = (exposure.question = new AbortController());
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      rl.question(ABORT_QUESTION, { signal: question.signal }, resolve);
      question.signal.addEventListener('abort', () => reject(question.signal.reason as Error), { once: true });
    });
    return /^\s*y/i.test(answer);
  } catch {
    return false;
  } finally {
    exposure.question = undefined;
  }
}
