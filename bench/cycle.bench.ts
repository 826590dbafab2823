/**
 * Background-check benchmark: items planned per second by one cycle (background-check.md §1) over
 * 10,000 inbox items, against 20,000 CRM records and 5,000 tracked emails. Two mixes: the default
 * settings (most items skipped, some tagged) and "track all" (every item tracked, so each decision
 * sees the CRM grown by the earlier tracks, §1.4). Budget: ≥ 20,000 items/s.
 */
import { performance } from 'node:perf_hooks';
import { planCycle, type CycleInput, type MailboxItem } from '../src/rules/backgroundCycle';
import { resolveSettings } from '../src/rules/settingsInput';
import type { CrmRecord, TrackedEmail } from '../src/rules/types';

const ITEMS = 10_000;
const RECORDS = 20_000;
const TRACKED = 5_000;
const RUNS = 5;
const BUDGET = 20_000;
const NOW = Date.UTC(2026, 0, 10, 9);

// A small deterministic generator (mulberry32) so every run measures the same work.
let seed = 7;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const types = ['contact', 'account', 'lead', 'systemuser'];

const records: CrmRecord[] = Array.from({ length: RECORDS }, (_, i) => ({
  type: types[i % types.length] as string,
  id: `r${i}`,
  emails: [`person${i}@company${i % 499}.com`],
  createdOn: new Date(Date.UTC(2015, 0, 1) + i * 60_000).toISOString(),
  active: true,
}));
const tracked: TrackedEmail[] = Array.from({ length: TRACKED }, (_, i) => ({
  activityId: `e${i}`,
  messageId: `<m${i}@mail.example>`,
  subject: `Quote ${i} CRM:0001${String(i).padStart(5, '0')}`,
  trackingToken: `CRM:0001${String(i).padStart(5, '0')}`,
  threadIndex: null,
  regarding: { type: 'opportunity', id: `o${i % 300}` },
  addresses: [`person${i}@company${i % 499}.com`, 'me@contoso.com'],
  trackedBy: 'u1',
  receivedAt: new Date(NOW - 3 * 86_400_000 + i * 1000).toISOString(),
}));

// Within the two-day lookback; one in ten already tracked, one in ten a reply to a tracked email,
// one in five from a sender the CRM does not know.
const items: MailboxItem[] = Array.from({ length: ITEMS }, (_, i) => {
  const t = Math.floor(random() * TRACKED);
  const kind = i % 10;
  const receivedAt = new Date(NOW - Math.floor(random() * 2 * 86_400_000)).toISOString();
  return {
    itemId: `AAMk${String(i).padStart(6, '0')}`,
    changeKey: `ck${i}`,
    isDraft: false,
    categories: kind === 3 ? ['Tracked to CRM'] : [],
    tag: null,
    receivedAt,
    email: {
      messageId: kind === 0 ? `<m${t}@mail.example>` : `<n${i}@mail.example>`,
      subject: kind === 1 ? `RE: Quote ${t}` : `Hello ${i}`,
      direction: 'incoming',
      folder: 'inbox',
      from: {
        address:
          kind >= 8
            ? `stranger${i}@nowhere.example`
            : `person${Math.floor(random() * RECORDS)}@company${t % 499}.com`,
        name: 'Some Body',
      },
      to: [{ address: 'me@contoso.com', name: null }],
      cc: [],
      bcc: [],
      inReplyTo: kind === 1 ? `<m${t}@mail.example>` : null,
      references: [],
      threadIndex: null,
      receivedAt,
      composeType: null,
    },
  };
});

const input = (user: Record<string, unknown>): CycleInput => ({
  now: new Date(NOW).toISOString(),
  user: { id: 'u1', email: 'me@contoso.com', mailboxApproved: true },
  settings: resolveSettings({ organization: { backgroundMaxItems: ITEMS }, user }).settings,
  crm: { records, trackedEmails: tracked, folderMappings: [] },
  mailbox: { folders: [{ name: 'inbox', items }] },
  state: { seen: [], aggressiveCyclesLeft: 0 },
});

console.log(
  `cycle: one background-check cycle over ${ITEMS.toLocaleString('en')} inbox items (one core; ${RECORDS.toLocaleString('en')} records, ${TRACKED.toLocaleString('en')} tracked emails)`,
);
let met = true;
for (const [name, user] of [
  ['default settings', {}],
  ['track all + create contacts', { incomingemailfilteringmethod: 0, autocreatecontactonpromote: 1 }],
] as const) {
  const cycle = input(user);
  planCycle(cycle); // warm-up
  let best = Number.POSITIVE_INFINITY;
  let counts = '';
  for (let run = 0; run < RUNS; run += 1) {
    const t0 = performance.now();
    const plan = planCycle(cycle);
    best = Math.min(best, performance.now() - t0);
    const tally = new Map<string, number>();
    for (const action of plan.actions) tally.set(action.do, (tally.get(action.do) ?? 0) + 1);
    counts = [...tally].map(([what, n]) => `${what} ${n}`).join(', ');
  }
  const perSecond = Math.round(ITEMS / (best / 1000));
  met &&= perSecond >= BUDGET;
  console.log(`  ${name}:`);
  console.log(`    cycle:           ${best.toFixed(0)} ms (best of ${RUNS})`);
  console.log(
    `    items/second:    ${perSecond.toLocaleString('en')}  (budget ≥ ${BUDGET.toLocaleString('en')}: ${perSecond >= BUDGET ? 'met' : 'NOT MET'})`,
  );
  console.log(`    actions:         ${counts}`);
}
if (!met) process.exitCode = 1;
