/** Whether typed arrays here are little-endian (FITS data are big-endian; word tricks depend on it). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
