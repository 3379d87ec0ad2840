import { expect } from 'chai';
import * as errors from '../lib/errors.js';
import { portableError, revived } from '../lib/readout/job.js';

describe('errors', () => {
  it('gives every error class a code of its own', () => {
    const samples: { code: string }[] = [
      new errors.CommandError('x'),
      new errors.InvalidArgumentError('x'),
      new errors.ParseError('x'),
      new errors.UnknownToolError('x'),
      new errors.UnknownCommandError('x'),
      new errors.LineTooLongError(),
      new errors.ServerBusyError(),
      new errors.ResourceBusyError('x'),
      new errors.ExposureInProgressError(),
      new errors.AbortedError(),
      new errors.PermissionError('x'),
      new errors.AccessDeniedError(),
      new errors.ShuttingDownError(),
      new errors.ReadoutError('x'),
      new errors.ImageExistsError('x'),
      new errors.InvalidStateError('x'),
      new errors.ConfigError('x'),
      new errors.RemoteError('x', 'ERROR x'),
      new errors.TimeoutError('x'),
      new errors.ConnectionClosedError('x'),
    ];
    const codes = samples.map((error) => error.code);
    expect(new Set(codes).size).to.equal(codes.length);
    for (const code of codes) expect(code).to.match(/^AZ_[A-Z_]+$/);
    expect(new errors.ExposureInProgressError()).to.be.instanceOf(errors.ResourceBusyError).and.include({ code: 'AZ_EXPOSURE_IN_PROGRESS' });
  });

  it("crosses threads as its code and message, arriving as a CommandError the client is told", () => {
    const sent = structuredClone(portableError(new errors.PermissionError('image folder must be inside the data directory')));
    const arrived = revived(sent);
    expect(arrived).to.be.instanceOf(errors.CommandError).and.include({ code: 'AZ_PERMISSION_DENIED', message: 'image folder must be inside the data directory' });
    const bug = new TypeError('not ours');
    expect(revived(portableError(bug))).to.equal(bug);
  });
});
