import type { Session } from '../dispatch/session.js';

/**
 * The session the server's own observers (the status pages' feed, the temperature history, the
 * metrics gauges) run their reading commands in: through the same dispatcher as any client, so
 * they see what a client sees, but left out of the command metrics, which count clients' work.
 */
export const INTERNAL_SESSION: Session = Object.freeze({
  id: 0,
  name: 'internal',
  address: '',
  isLoopback: true,
  closeAfterReply: () => undefined,
});
