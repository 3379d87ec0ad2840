/** How many timers keep the process alive now (an unref'd timer is not counted). */
export function aliveTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}
