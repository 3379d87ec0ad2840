import { expect } from 'chai';
import { AccessDeniedError, ExposureInProgressError, InvalidArgumentError, MethodNotAllowedError, ParametersNotSavedError, ReadoutError, ServerBusyError, UnknownToolError, WorkerError } from '../../lib/errors.js';
import { formatError } from '../../lib/protocol/reply.js';
import { apiAnswer, replyData } from '../../lib/web/api-reply.js';
import { httpStatusOf } from '../../lib/web/http-status.js';

describe('web API replies', () => {
  it('reads reply data as azcam\'s console does: none, one word, a list, an object', () => {
    expect(replyData('OK')).to.equal(null);
    expect(replyData("OK 'M31 field'")).to.equal('M31 field');
    expect(replyData("OK -110.1 'a b' ''")).to.deep.equal(['-110.1', 'a b', '']);
    expect(replyData('OK {"exposurestate": "NONE", "progressbar": 0}')).to.deep.equal({ exposurestate: 'NONE', progressbar: 0 });
    expect(replyData('OK {not json')).to.deep.equal(['{not', 'json']);
  });

  it('answers OK in azcam\'s shape and ERROR with the line as the message', () => {
    expect(apiAnswer('tempcon.get_temperatures', { reply: 'OK -110.0 -170.0 25.0', status: 'OK' })).to.deep.equal({
      statusCode: 200,
      body: { message: 'Finished', command: 'tempcon.get_temperatures', data: ['-110.0', '-170.0', '25.0'], reply: 'OK -110.0 -170.0 25.0' },
    });
    const busy = apiAnswer('exposure.expose', { reply: 'ERROR exposure in progress', status: 'ERROR', error: new ExposureInProgressError() });
    expect(busy).to.deep.equal({
      statusCode: 409,
      body: { message: 'ERROR exposure in progress', command: 'exposure.expose', data: null, reply: 'ERROR exposure in progress' },
    });
    expect(apiAnswer('x.y', { reply: 'WARNING low disk', status: 'WARNING' }).body).to.include({ message: 'WARNING low disk', data: null });
    // The socket's reply is double-quoted for shlex; the message, which nobody splits, is not.
    const stuck = formatError(new Error("the camera's shutter is stuck"));
    expect(apiAnswer('x.y', { reply: stuck, status: 'ERROR' }).body).to.include({ message: "ERROR the camera's shutter is stuck", reply: stuck });
  });

  it('maps errors to HTTP statuses by code, a worker\'s errors included', () => {
    expect(httpStatusOf(new UnknownToolError('x'))).to.equal(404);
    expect(httpStatusOf(new InvalidArgumentError('bad'))).to.equal(400);
    expect(httpStatusOf(new AccessDeniedError())).to.equal(403);
    expect(httpStatusOf(new MethodNotAllowedError('use POST'))).to.equal(405);
    expect(httpStatusOf(new ExposureInProgressError())).to.equal(409);
    expect(httpStatusOf(new ServerBusyError())).to.equal(503);
    expect(httpStatusOf(new ReadoutError('disk full'))).to.equal(500);
    expect(httpStatusOf(new ParametersNotSavedError('parameters not saved to p.json: EIO'))).to.equal(500);
    expect(httpStatusOf(new WorkerError({ code: 'AZ_IMAGE_NOT_DURABLE', message: 'image written, but its folder could not be flushed' }))).to.equal(500);
    expect(httpStatusOf(new WorkerError({ code: 'AZ_INVALID_ARGUMENT', message: 'bad roi' }))).to.equal(400);
    expect(httpStatusOf(new Error('a bug'))).to.equal(500);
    expect(httpStatusOf('thrown string')).to.equal(500);
  });
});
