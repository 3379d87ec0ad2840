/**
 * The exposure tool's sub-objects, as azcam deployments reach them: `exposure.image.write_file`,
 * `exposure.sendimage.*`, `exposure.filename.*`.
 */
import { extname } from 'node:path';
import { arg, command, pick, query, type CommandSpec, type ToolSpec } from '../dispatch/command.js';
import { CommandError, InvalidArgumentError } from '../errors.js';
import { copyImage } from '../storage/image-store.js';
import type { ExposureTool } from './exposure.js';
import { FILE_TYPE_EXTENSIONS, IMAGE_EXTENSION } from './filename.js';
import type { Parameters } from './parameters.js';
import { DEFAULT_REMOTE, NO_REMOTE, sendImage, type RemoteImageServer } from './send-image.js';

export interface SubtoolSources {
  exposure: ExposureTool;
  parameters: Parameters;
  /** The exposure tool's own commands (the filename sub-object shares some). */
  commands: readonly CommandSpec[];
}

const FILE_TYPE = { mef: 1, assembled: 6 } as const;

export function exposureSubtools(s: SubtoolSources): Record<string, ToolSpec> {
  return { image: imageTool(s), sendimage: sendImageTool(s), filename: filenameTool(s) };
}

/** The last image written: azcam's image object holds it until the next readout. */
function lastImage(exposure: ExposureTool): string {
  if (!exposure.lastFilename) throw new CommandError('no image yet: expose first');
  return exposure.lastFilename;
}

function imageTool({ exposure, parameters }: SubtoolSources): ToolSpec {
  return {
    description: 'The last image read out',
    commands: [
      command(
        'write_file',
        'Write the last image to a FITS file, in the format it was read out (relative to the image folder; .fits added)',
        [arg.str('filename'), arg.int('filetype', -1)],
        async ({ filename, filetype }) => {
          const source = lastImage(exposure);
          if (filetype !== -1 && FILE_TYPE_EXTENSIONS[filetype] !== 'fits') throw new InvalidArgumentError(`invalid filetype: ${filetype} (only FITS: -1, 0, 1 or 6)`);
          const target = parameters.resolveFile(extname(filename) ? filename : `${filename}${IMAGE_EXTENSION}`);
          // Not another kind of file: with imageoverwrite a copy could replace the server's own (its lock, a parameter file).
          if (!FITS_NAME.test(target)) throw new InvalidArgumentError(`invalid filename: ${filename} (an image file name ends in .fits, .fit or .fts)`);
          await copyImage(source, target, parameters.get('imageoverwrite'));
        },
      ),
    ],
  };
}

const FITS_NAME = /\.(fits|fit|fts)$/i;

function sendImageTool({ exposure, parameters }: SubtoolSources): ToolSpec {
  let remote: RemoteImageServer = { ...NO_REMOTE };
  return {
    description: 'Sending images to a remote image server',
    commands: [
      command(
        'set_remote_imageserver',
        'Set the remote image server images are sent to',
        [
          arg.str('remote_imageserver_host', ''),
          arg.int('remote_imageserver_port', DEFAULT_REMOTE.port),
          arg.str('remote_imageserver_type', DEFAULT_REMOTE.type),
          arg.str('remote_imageserver_filename', DEFAULT_REMOTE.filename),
        ],
        (a) => {
          remote = { host: a.remote_imageserver_host, port: a.remote_imageserver_port, type: a.remote_imageserver_type, filename: a.remote_imageserver_filename };
        },
      ),
      query('get_remote_imageserver', 'Return the remote image server: host, port, type, file name', [], () => [remote.host, remote.port, remote.type, remote.filename]),
      command(
        'send_image',
        'Send an image (default: the last one) to the remote image server',
        [arg.str('localfile', null), arg.str('remotefile', null)],
        ({ localfile, remotefile }) => {
          const roi = parameters.roi();
          const local = localfile === null ? lastImage(exposure) : parameters.resolveFile(localfile);
          return sendImage(remote, local, remotefile ?? `${remote.filename}${IMAGE_EXTENSION}`, {
            fileType: FILE_TYPE[parameters.get('imageformat')],
            columns: Math.floor((roi.lastCol - roi.firstCol + 1) / roi.colBin),
            rows: Math.floor((roi.lastRow - roi.firstRow + 1) / roi.rowBin),
            overwrite: parameters.get('imageoverwrite') || parameters.get('imagetest'),
          });
        },
      ),
    ],
  };
}

function filenameTool({ commands }: SubtoolSources): ToolSpec {
  return {
    description: 'Image file naming',
    commands: [
      pick(commands, 'get_filename'),
      pick(commands, 'set_filename'),
      pick(commands, 'increment_filenumber'),
      pick(commands, 'get_extname'),
    ],
  };
}
