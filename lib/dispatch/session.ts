/** What a command handler may know and do about the connection that sent it. */
export interface Session {
  readonly id: number;
  /** `client_<id>` until the client sends `register NAME`. */
  name: string;
  readonly address: string;
  readonly isLoopback: boolean;
  /** Close this connection once the current command's reply is written. */
  closeAfterReply(): void;
}

/** What built-in commands may ask of the server as a whole. */
export interface ServerControl {
  readonly allowExit: boolean;
  /** Begin a graceful stop (after the current reply is written). */
  requestStop(): void;
}
