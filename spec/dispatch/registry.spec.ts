import { expect } from 'chai';
import { arg, command, query, type ToolSpec } from '../../lib/dispatch/command.js';
import { ToolRegistry } from '../../lib/dispatch/registry.js';
import type { Session } from '../../lib/dispatch/session.js';

const session: Session = { id: 1, name: 'client_1', address: '127.0.0.1', isLoopback: true, closeAfterReply: () => undefined };

const camera: ToolSpec = {
  description: 'A camera',
  commands: [
    command('expose', 'Expose', [arg.float('exposure_time', -1), arg.str('imagetype', '')], ({ exposure_time }) => `exposed ${exposure_time}`),
    query('get_roi', 'The ROI', [arg.int('roi_num', 0)], () => [1, 2]),
  ],
  subtools: {
    image: { description: 'The image', commands: [command('write_file', 'Write', [arg.str('filename'), arg.int('filetype', -1)], () => 'written')] },
  },
};

describe('ToolRegistry', () => {
  const registry = new ToolRegistry().register('camera', camera);

  it('finds a tool\'s declared commands, and nothing else', () => {
    expect(registry.lookup('camera', 'expose')?.run({ exposure_time: 2 }, { session })).to.equal('exposed 2');
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'commands', 'description', 'run']) {
      expect(registry.lookup('camera', name), name).to.equal(undefined);
    }
    expect(registry.lookup('nothing', 'expose')).to.equal(undefined);
  });

  it('registers sub-objects under dotted names', () => {
    expect(registry.toolNames()).to.deep.equal(['camera', 'camera.image']);
    expect(registry.lookup('camera.image', 'write_file')?.run({}, { session })).to.equal('written');
    expect(registry.has('camera.image')).to.equal(true);
  });

  it('lists the commands of a tool, sorted', () => {
    expect(registry.methodsOf('camera')).to.deep.equal(['expose', 'get_roi']);
    expect(registry.methodsOf('nothing')).to.deep.equal([]);
  });

  it('describes every tool with its commands, signatures and whether they only read', () => {
    const [tool, image] = registry.describe();
    expect(tool).to.deep.equal({
      tool: 'camera',
      description: 'A camera',
      commands: [
        {
          name: 'expose',
          description: 'Expose',
          reads: false,
          signature: 'expose [exposure_time=-1] [imagetype=""]',
          args: [
            { name: 'exposure_time', type: 'float', required: false, default: -1 },
            { name: 'imagetype', type: 'str', required: false, default: '' },
          ],
        },
        { name: 'get_roi', description: 'The ROI', reads: true, signature: 'get_roi [roi_num=0]', args: [{ name: 'roi_num', type: 'int', required: false, default: 0 }] },
      ],
    });
    expect(image?.commands[0]?.signature).to.equal('write_file filename [filetype=-1]');
  });
});
