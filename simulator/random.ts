/** Deterministic randomness and time for the simulator (ids, GUIDs, Thread-Index blocks). */

export interface Random {
  /** 0 … 255 */
  byte(): number;
  hex(length: number): string;
}

/** mulberry32: small, fast, deterministic for a seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    byte: () => Math.floor(next() * 256),
    hex: (length: number) => {
      let out = '';
      while (out.length < length) out += Math.floor(next() * 16).toString(16);
      return out;
    },
  };
}

export type Clock = () => Date;

/** A clock that starts at `start` and advances by `stepMs` on every reading (deterministic tests). */
export function steppingClock(start: Date, stepMs = 1000): Clock {
  let t = start.getTime();
  return () => {
    const d = new Date(t);
    t += stepMs;
    return d;
  };
}
