/**
 * The file names claimed by exposures not yet ended, shared by every camera of a server: a name is
 * reserved when its exposure starts, so two cameras never write the same file (the second would
 * lose its image to `file exists`, or replace the first's with `imageoverwrite`).
 */
export class ImageNames {
  readonly #claimed = new Set<string>();

  isClaimed(filename: string): boolean {
    return this.#claimed.has(filename);
  }

  /** Reserves `filename` until `released` settles. */
  claim(filename: string, released: Promise<unknown>): void {
    this.#claimed.add(filename);
    const free = (): void => void this.#claimed.delete(filename);
    released.then(free, free);
  }
}
