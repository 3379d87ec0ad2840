/**
 * Where Piscina puts the next readout. Its own balancer gives it to any thread with a free slot,
 * and Piscina starts a thread only for a readout that no thread takes: with idle threads ended
 * (`--thread-idle`), a burst of readouts would share the one thread left, taking turns, while the
 * other cores idle. This one gives a readout to an idle thread; else, while fewer than `threads`
 * are running or starting, to none (Piscina then starts a thread for it); else to the least busy
 * thread with a free slot, if any.
 */
export function spreadingBalancer(threads: number, slots: number) {
  return <Thread extends { currentUsage: number }>(_task: unknown, running: Thread[]): Thread | null => {
    let leastBusy: Thread | null = null;
    for (const thread of running) {
      if (thread.currentUsage === 0) return thread;
      if (thread.currentUsage < slots && (leastBusy === null || thread.currentUsage < leastBusy.currentUsage)) leastBusy = thread;
    }
    return running.length < threads ? null : leastBusy;
  };
}
