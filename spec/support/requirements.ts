/**
 * Tests that need a tool from outside npm (python3, astropy, fitsverify, a tmpfs mount) skip where
 * it is missing on a developer's machine, but fail under CI: `.ci/run` installs every one of them,
 * so a skip there would hide a missing install step.
 */
export function requireOrSkip<T>(context: Mocha.Context, available: T, what: string): asserts available is NonNullable<T> {
  if (available) return;
  if (process.env['CI']) throw new Error(`${what} is required under CI (.ci/run installs it) but is missing`);
  context.skip();
}
