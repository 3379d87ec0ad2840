import { expect } from 'chai';
import { LiveFeed } from '../../lib/web/live-feed.js';

/** Resolves with the next `count` messages a subscriber gets. */
function collect(feed: LiveFeed, count: number): { messages: Promise<string[]>; unsubscribe: () => void } {
  const received: string[] = [];
  let unsubscribe = (): void => undefined;
  const messages = new Promise<string[]>((resolve) => {
    unsubscribe = feed.subscribe((json) => {
      received.push(json);
      if (received.length === count) resolve(received);
    });
  });
  return { messages, unsubscribe };
}

describe('LiveFeed', () => {
  it('sends a new subscriber the current snapshot at once, then only changes', async () => {
    const values = [1, 1, 1, 2, 2, 3];
    let taken = 0;
    const feed = new LiveFeed(async () => ({ value: values[Math.min(taken++, values.length - 1)] }), 5);
    const { messages, unsubscribe } = collect(feed, 3);
    expect(await messages).to.deep.equal(['{"value":1}', '{"value":2}', '{"value":3}']);
    unsubscribe();
  });

  it('takes one snapshot per tick for every subscriber, and stops when the last one leaves', async () => {
    let taken = 0;
    const feed = new LiveFeed(async () => ({ tick: taken++ }), 5);
    const pages = Array.from({ length: 10 }, () => collect(feed, 4));
    const received = await Promise.all(pages.map((page) => page.messages));
    // 10 first snapshots (one each), then shared ticks: far fewer than 10 pages × 4 messages.
    expect(taken).to.be.below(10 + 3 * 2 + 2);
    for (const messages of received) expect(new Set(messages).size).to.equal(4);
    expect(feed.subscribers).to.equal(10);
    for (const page of pages) page.unsubscribe();
    expect(feed.subscribers).to.equal(0);
    const after = taken;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(taken).to.equal(after);
  });
});
