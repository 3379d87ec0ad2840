/** Where an azcam server listens unless told otherwise: azcam's own port, on this machine only. */
export const DEFAULT_PORT = 2402;
export const DEFAULT_HOST = '127.0.0.1';
