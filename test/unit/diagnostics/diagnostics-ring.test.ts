/** The pane's diagnostics log (src/host/diagnosticsRing.ts): a ring with a fixed cap, messages masked. */
import { eventsAsJsonLines, eventSink } from '../../../src/app/diagnosticsEvents';
import { createDiagnosticsRing } from '../../../src/host/diagnosticsRing';

const quiet = { log: () => undefined };
const queued = (key: string) => ({ kind: 'queue' as const, move: 'queued' as const, key, attempts: 1 });

test('the ring keeps only its capacity, the oldest events dropping out', () => {
  const ring = createDiagnosticsRing({ capacity: 3, console: quiet });
  ['a', 'b', 'c', 'd', 'e'].forEach((key) => ring.event(queued(key)));
  expect(ring.events().map((e) => (e.kind === 'queue' ? e.key : ''))).toEqual(['c', 'd', 'e']);
});

test('events keep their order by sequence even within one millisecond', () => {
  const ring = createDiagnosticsRing({ capacity: 10, console: quiet, now: () => 5 });
  ring.event(queued('a'));
  ring.event(queued('b'));
  const [first, second] = ring.events();
  expect(first!.seq).toBeLessThan(second!.seq);
});

test('a message is kept with addresses masked and the error named, without its stack', () => {
  const ring = createDiagnosticsRing({ console: quiet });
  ring.log('Lookup for ann@fabrikam.com failed', new TypeError('offline'));
  expect(ring.events()[0]).toMatchObject({
    kind: 'message',
    text: 'Lookup for ***@fabrikam.com failed',
    error: 'TypeError: offline',
  });
});

test('a message still goes to the console', () => {
  const lines: string[] = [];
  const ring = createDiagnosticsRing({ console: { log: (m) => lines.push(m) } });
  ring.log('hello');
  expect(lines).toEqual(['hello']);
});

test('clear empties the ring and tells the listeners', () => {
  const ring = createDiagnosticsRing({ console: quiet });
  const told = jest.fn();
  ring.subscribe(told);
  ring.event(queued('a'));
  ring.clear();
  expect(ring.events()).toEqual([]);
  expect(told).toHaveBeenCalledTimes(2);
});

test('the export is one JSON object per line with an ISO time', () => {
  const ring = createDiagnosticsRing({ console: quiet, now: () => Date.UTC(2026, 0, 1) });
  ring.event(queued('a'));
  ring.event(queued('b'));
  const lines = eventsAsJsonLines(ring.events()).trim().split('\n');
  expect(lines.map((l) => JSON.parse(l).at)).toEqual([
    '2026-01-01T00:00:00.000Z',
    '2026-01-01T00:00:00.000Z',
  ]);
});

test('eventSink finds the ring behind a DiagnosticsLog and nothing behind a console log', () => {
  const ring = createDiagnosticsRing({ console: quiet });
  eventSink(ring)?.(queued('a'));
  expect(ring.events()).toHaveLength(1);
  expect(eventSink({ log: () => undefined })).toBeNull();
});
