import { Deferred } from '../../lib/deferred.js';
import { ParameterFile, type SavedParameters } from '../../lib/storage/parameter-file.js';

/** A parameter file whose saves wait until the test lets them through, or fails them. */
export class HeldParameterFile extends ParameterFile {
  readonly #gate = new Deferred<Error | undefined>();

  release(failure?: Error): void {
    this.#gate.resolve(failure);
  }

  override async save(build: () => SavedParameters): Promise<void> {
    const failure = await this.#gate.promise;
    if (failure) throw failure;
    return super.save(build);
  }
}
