/**
 * Name-based GUIDs (RFC 4122 version 5: SHA-1 over a namespace GUID and a name). The same name gives
 * the same GUID in every runtime, so two runtimes creating "the same" row choose the same key and the
 * second gets Dataverse's duplicate-key error instead of making a second row.
 *
 * SHA-1 is written out here, synchronous and without `crypto`: classic Outlook's JavaScript-only event
 * runtime is not documented to have `crypto.subtle` (and it is async). SHA-1's weakness (chosen
 * collisions) does not matter: the GUID must be stable, not secret.
 */

/** UTF-8 bytes of `text`; a lone surrogate becomes U+FFFD, as TextEncoder does. */
function utf8(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i += 1;
      } else c = 0xfffd;
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** SHA-1 (FIPS 180-4) of `bytes`: 20 bytes. */
export function sha1(bytes: readonly number[]): number[] {
  const bits = bytes.length * 8;
  const m = [...bytes, 0x80];
  while (m.length % 64 !== 56) m.push(0);
  // Length in bits, big-endian 64-bit: a name is far below 2^32 bits, so the high word is 0.
  m.push(0, 0, 0, 0, (bits >>> 24) & 255, (bits >>> 16) & 255, (bits >>> 8) & 255, bits & 255);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Array<number>(80);
  const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));
  for (let block = 0; block < m.length; block += 64) {
    for (let t = 0; t < 16; t += 1) {
      const at = block + t * 4;
      w[t] =
        ((m[at] as number) << 24) |
        ((m[at + 1] as number) << 16) |
        ((m[at + 2] as number) << 8) |
        (m[at + 3] as number);
    }
    for (let t = 16; t < 80; t += 1)
      w[t] = rotl(
        (w[t - 3] as number) ^ (w[t - 8] as number) ^ (w[t - 14] as number) ^ (w[t - 16] as number),
        1,
      );
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let t = 0; t < 80; t += 1) {
      const f =
        t < 20 ? (b & c) | (~b & d) : t < 40 ? b ^ c ^ d : t < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = t < 20 ? 0x5a827999 : t < 40 ? 0x6ed9eba1 : t < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const next = (rotl(a, 5) + f + e + k + (w[t] as number)) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = next;
    }
    h[0] = ((h[0] as number) + a) | 0;
    h[1] = ((h[1] as number) + b) | 0;
    h[2] = ((h[2] as number) + c) | 0;
    h[3] = ((h[3] as number) + d) | 0;
    h[4] = ((h[4] as number) + e) | 0;
  }
  return h.flatMap((x) => [(x >>> 24) & 255, (x >>> 16) & 255, (x >>> 8) & 255, x & 255]);
}

/** The version-5 GUID of `name` in `namespace` (a GUID), lower case. */
export function nameUuid(namespace: string, name: string): string {
  const ns = namespace.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(ns)) throw new TypeError(`not a GUID: ${JSON.stringify(namespace)}`);
  const nsBytes = Array.from({ length: 16 }, (_, i) => parseInt(ns.slice(i * 2, i * 2 + 2), 16));
  const b = sha1([...nsBytes, ...utf8(name)]).slice(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
