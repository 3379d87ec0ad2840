import type { HeaderCard } from '../../lib/readout/fits.js';

/** The value of the header card `key`, undefined when there is none. */
export function cardValue(cards: readonly HeaderCard[], key: string): unknown {
  return cards.find((card) => card.key === key)?.value;
}
