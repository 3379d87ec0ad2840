/** Per-connection limits; every one has a command-line flag (see scripts/server.ts). */
export interface ConnectionLimits {
  /** Longest accepted command line, bytes (`--max-line`). */
  maxLine: number;
  /** Drop a connection that sends nothing for this long; 0 = never (`--idle-timeout`, seconds there). */
  idleTimeoutMs: number;
  /** Received commands waiting to run before the server stops reading that socket. */
  maxQueuedCommands: number;
  /** Bytes of received commands waiting to run before the server stops reading that socket. */
  maxQueuedBytes: number;
  /** The same, over all connections together: past it every connection waits. */
  maxTotalQueuedBytes: number;
  /** Unsent reply bytes before the server stops running that connection's commands. */
  outputHighWater: number;
  /** Unsent reply bytes past which a client that does not read is dropped. */
  outputLimit: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  maxLine: 64 * 1024,
  idleTimeoutMs: 0,
  maxQueuedCommands: 1024,
  maxQueuedBytes: 1024 * 1024,
  maxTotalQueuedBytes: 64 * 1024 * 1024,
  outputHighWater: 1024 * 1024,
  outputLimit: 16 * 1024 * 1024,
};

/** Clients a server serves at once (`--max-connections`); more are refused. */
export const DEFAULT_MAX_CONNECTIONS = 1024;

/** The limits given (undefined counts as not given), and the defaults for the rest. */
export function connectionLimits(given: Partial<ConnectionLimits>): ConnectionLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ConnectionLimits)[]) limits[key] = given[key] ?? DEFAULT_LIMITS[key];
  return limits;
}
