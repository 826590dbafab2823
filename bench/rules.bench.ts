/**
 * Rules benchmark: decisions per second on one core with 100,000 CRM addresses and 10,000 tracked
 * emails indexed, and the time to build the index. Budget (docs/architecture.md): ≥ 100,000/s.
 */
import { performance } from 'node:perf_hooks';
import { buildCrmIndex } from '../src/rules/crmIndex';
import { decide, type DecisionInput } from '../src/rules/decide';
import { resolveSettings } from '../src/rules/settingsInput';
import type { CrmRecord, EmailFacts, TrackedEmail } from '../src/rules/types';

const RECORDS = 50_000; // two addresses each: 100,000 addresses
const TRACKED = 10_000;
const DECISIONS = 200_000;

// A small deterministic generator (mulberry32) so every run measures the same work.
let seed = 42;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const types = ['contact', 'account', 'lead', 'systemuser', 'queue'];

const records: CrmRecord[] = Array.from({ length: RECORDS }, (_, i) => ({
  type: types[i % types.length] as string,
  id: `r${i}`,
  emails: [`person${i}@company${i % 997}.com`, `alias${i % 40_000}@mail.example`],
  createdOn: new Date(Date.UTC(2015, 0, 1) + i * 60_000).toISOString(),
  active: i % 50 !== 0,
}));
const threadIndex = (i: number, children: number): string =>
  Buffer.from([1, ...Array.from({ length: 21 + children * 5 }, (_, k) => (i * 31 + k * 7) & 0xff)]).toString(
    'base64',
  );
const tracked: TrackedEmail[] = Array.from({ length: TRACKED }, (_, i) => ({
  activityId: `e${i}`,
  messageId: `<m${i}@mail.example>`,
  subject: `Quote ${i} for project ${i % 100} CRM:0001${String(i).padStart(5, '0')}`,
  trackingToken: `CRM:0001${String(i).padStart(5, '0')}`,
  threadIndex: threadIndex(i, 0),
  regarding: { type: 'opportunity', id: `o${i % 500}` },
  addresses: [`person${i}@company${i % 997}.com`, 'me@contoso.com'],
  trackedBy: 'u1',
  receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
}));

const emails: EmailFacts[] = Array.from({ length: 1000 }, (_, i) => {
  const kind = i % 5;
  const t = Math.floor(random() * TRACKED);
  const sender =
    kind === 4
      ? `stranger${i}@nowhere.example`
      : `person${Math.floor(random() * RECORDS)}@company${t % 997}.com`;
  return {
    messageId: `<new${i}@mail.example>`,
    subject:
      kind === 1
        ? `RE: Quote CRM:0001${String(t).padStart(5, '0')}`
        : `RE: Quote ${t} for project ${t % 100}`,
    direction: 'incoming',
    folder: 'inbox',
    from: { address: sender, name: 'Some Body' },
    to: [
      { address: 'me@contoso.com', name: null },
      { address: pick(records).emails[1] as string, name: null },
    ],
    cc: [{ address: `alias${i}@mail.example`, name: null }],
    bcc: [],
    inReplyTo: kind === 0 ? `<m${t}@mail.example>` : null,
    references: kind === 0 ? [`<m${t}@mail.example>`] : [],
    threadIndex: kind === 2 ? threadIndex(t, 1) : null,
    receivedAt: '2026-02-01T00:00:00Z',
    composeType: null,
  };
});

const settings = resolveSettings({
  organization: { enablesmartmatching: true },
  user: { incomingemailfilteringmethod: 1 },
}).settings;

const t0 = performance.now();
const index = buildCrmIndex(records, tracked);
const buildMs = performance.now() - t0;

const input = (email: EmailFacts): DecisionInput => ({
  action: 'incoming',
  email,
  regarding: null,
  user: { id: 'u1', email: 'me@contoso.com', mailboxApproved: true },
  settings,
  index,
});
for (let i = 0; i < 20_000; i += 1) decide(input(emails[i % emails.length] as EmailFacts)); // warm-up
const reasons = new Map<string, number>();
const t1 = performance.now();
for (let i = 0; i < DECISIONS; i += 1) {
  const d = decide(input(emails[i % emails.length] as EmailFacts));
  if (i < emails.length) reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
}
const decideMs = performance.now() - t1;
const perSecond = Math.round(DECISIONS / (decideMs / 1000));

console.log('rules: decisions (one core, spec §2.1 incoming, correlation incl. smart matching)');
console.log(
  `  indexed:           ${records.reduce((n, r) => n + r.emails.length, 0).toLocaleString('en')} addresses, ${TRACKED.toLocaleString('en')} tracked emails`,
);
console.log(`  index build:       ${buildMs.toFixed(0)} ms`);
console.log(`  decisions:         ${DECISIONS.toLocaleString('en')} in ${decideMs.toFixed(0)} ms`);
console.log(
  `  decisions/second:  ${perSecond.toLocaleString('en')}  (budget ≥ 100,000: ${perSecond >= 100_000 ? 'met' : 'NOT MET'})`,
);
console.log(`  mix of reasons:    ${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')}`);
