/**
 * Which commands a GET may run: only those that read state, so that a crawler, a prefetching
 * browser or a hostile page's image tag can never start, abort or change anything.
 * azcam's naming says which read: `get_*`.
 */
export function isReadingCommand(command: string): boolean {
  return command.startsWith('get_');
}
