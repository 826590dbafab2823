/**
 * Just enough of PNG to check the icons: size, and the RGBA pixels of 8-bit RGBA images (non-interlaced,
 * as Chromium's screenshots are), decoded with zlib and the five scanline filters of the PNG spec.
 */
import zlib from 'node:zlib';

export interface Png {
  readonly width: number;
  readonly height: number;
  readonly colorType: number;
  readonly bitDepth: number;
  /** RGBA bytes, row by row (only for 8-bit RGBA images). */
  readonly rgba: Uint8Array | null;
}

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
const RGBA = 6;

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** A byte, 0 outside the array (the PNG spec's value for the missing neighbours of the first row and column). */
const byteAt = (bytes: Uint8Array, index: number): number => bytes[index] ?? 0;

function unfilter(data: Buffer, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = byteAt(data, y * (stride + 1));
    const row = data.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? byteAt(out, y * stride + x - bpp) : 0;
      const up = y > 0 ? byteAt(out, (y - 1) * stride + x) : 0;
      const upLeft = y > 0 && x >= bpp ? byteAt(out, (y - 1) * stride + x - bpp) : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`PNG: unknown filter ${filter}`);
      out[y * stride + x] = (byteAt(row, x) + predictor) & 0xff;
    }
  }
  return out;
}

export function readPng(file: Buffer): Png {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let offset = 8;
  let header: {
    width: number;
    height: number;
    bitDepth: number;
    colorType: number;
    interlace: number;
  } | null = null;
  const idat: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        bitDepth: byteAt(body, 8),
        colorType: byteAt(body, 9),
        interlace: byteAt(body, 12),
      };
    } else if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  if (!header) throw new Error('PNG without IHDR');
  const decodable = header.colorType === RGBA && header.bitDepth === 8 && header.interlace === 0;
  return {
    width: header.width,
    height: header.height,
    colorType: header.colorType,
    bitDepth: header.bitDepth,
    rgba: decodable ? unfilter(zlib.inflateSync(Buffer.concat(idat)), header.width, header.height, 4) : null,
  };
}
