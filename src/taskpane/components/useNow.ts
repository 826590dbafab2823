import { useEffect, useState } from 'react';

/**
 * The time now, again every `everyMs` while `ticking`: "in about 40 s" counts down on screen. It is read
 * again as soon as ticking starts, so a schedule that arrives after the first render is not measured
 * from a stale time.
 */
export function useNow(ticking: boolean, everyMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return undefined;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, everyMs);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [ticking, everyMs]);
  return now;
}
