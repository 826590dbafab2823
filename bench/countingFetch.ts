import { performance } from 'node:perf_hooks';

/** Requests sent, and the time spent waiting on them (the emulator's work included). */
export function countingFetch(): { fetch: typeof fetch; count: () => number; ms: () => number } {
  let n = 0;
  let ms = 0;
  return {
    fetch: async (input, init) => {
      n += 1;
      const at = performance.now();
      try {
        return await fetch(input, init);
      } finally {
        ms += performance.now() - at;
      }
    },
    count: () => n,
    ms: () => ms,
  };
}
