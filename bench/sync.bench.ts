/**
 * Synchronization benchmark: records planned per second by one synchronization of contacts
 * (synchronization.md §2) over 10,000 CRM contacts and their Outlook contacts, with twelve mapped
 * fields. The mix: most pairs unchanged, some changed on one side or both (conflicts), some items
 * deleted, records deactivated or out of scope, duplicate links, tracked Outlook contacts matched by
 * email or created in the CRM, and new CRM contacts copied to Outlook. Budget: ≥ 100,000 records/s.
 */
import { performance } from 'node:perf_hooks';
import { resolveSettings } from '../src/rules/settingsInput';
import { planSync } from '../src/rules/synchronization';
import type {
  SyncBaseline,
  SyncCrmRecord,
  SyncInput,
  SyncMapping,
  SyncOutlookItem,
} from '../src/rules/syncTypes';

const RECORDS = 10_000;
const RUNS = 5;
const BUDGET = 100_000;

// A small deterministic generator (mulberry32) so every run measures the same work.
let seed = 11;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const PAIRS: [string, string][] = [
  ['firstname', 'givenName'],
  ['lastname', 'surname'],
  ['middlename', 'middleName'],
  ['jobtitle', 'jobTitle'],
  ['department', 'department'],
  ['telephone1', 'businessPhone'],
  ['mobilephone', 'mobilePhone'],
  ['emailaddress1', 'email1'],
  ['address1_city', 'businessCity'],
  ['address1_postalcode', 'businessPostalCode'],
  ['birthdate', 'birthday'],
  ['description', 'personalNotes'],
];
const mappings: SyncMapping[] = PAIRS.map(([crm, outlook], i) => ({
  crm,
  outlook,
  direction: i % 6 === 5 ? 'toOutlook' : 'both',
}));

const crmFields = (i: number, version: number): Record<string, unknown> =>
  Object.fromEntries(
    PAIRS.map(([crm]) => [
      crm,
      crm === 'emailaddress1' ? `person${i}@fabrikam.com` : `${crm} ${i}.${version}`,
    ]),
  );
const asOutlook = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(PAIRS.map(([crm, outlook]) => [outlook, fields[crm]]));

const records: SyncCrmRecord[] = [];
const items: SyncOutlookItem[] = [];
const pairs: SyncBaseline[] = [];
for (let i = 0; i < RECORDS; i += 1) {
  const id = `c${String(i).padStart(6, '0')}`;
  const itemId = `AAMkAD${String(i).padStart(6, '0')}`;
  const kind = i % 20;
  const base = crmFields(i, 0);
  const record: SyncCrmRecord = {
    id,
    inScope: kind !== 3,
    active: kind !== 2,
    createdOn: new Date(Date.UTC(2015, 0, 1) + i * 60_000).toISOString(),
    modifiedOn: '2026-01-09T00:00:00Z',
    fields: kind === 4 || kind === 6 ? crmFields(i, 1) : base,
    parentAccountName: `Account ${i % 300}`,
  };
  records.push(record);
  // One in twenty CRM contacts is new: nothing in Outlook yet (step 6).
  if (kind === 19) continue;
  const outlook = asOutlook(kind === 5 || kind === 6 ? crmFields(i, 2) : base);
  items.push({
    itemId,
    crmId: id,
    tracked: random() < 0.2,
    deleted: kind === 1,
    modifiedAt: kind === 6 && random() < 0.5 ? '2026-01-09T12:00:00Z' : '2026-01-08T12:00:00Z',
    // One in ten shows an old company name: the parent account's is written (§2.4).
    fields: { ...outlook, companyName: `Account ${(i % 300) + (kind === 8 || kind === 9 ? 1 : 0)}` },
    emails: [`person${i}@fabrikam.com`],
  });
  pairs.push({ crmId: id, itemId, crm: base, outlook: asOutlook(base) });
  // A second Outlook contact carrying the same CRM id (step 2.2's duplicate links).
  if (kind === 7) items.push({ ...(items[items.length - 1] as SyncOutlookItem), itemId: `${itemId}x` });
}
// Contacts the user tracked in Outlook: half match an unlinked CRM contact's email (new ones), half are new.
for (let i = 0; i < RECORDS / 20; i += 1) {
  const match = i % 2 === 0 ? 20 * i + 19 : -1;
  items.push({
    itemId: `AAMkNEW${String(i).padStart(6, '0')}`,
    crmId: null,
    tracked: true,
    deleted: false,
    modifiedAt: '2026-01-09T12:00:00Z',
    fields: asOutlook(crmFields(match >= 0 ? match : RECORDS + i, 3)),
    emails: [match >= 0 ? `Person${match}@Fabrikam.com` : `stranger${i}@example.com`],
  });
}

const input: SyncInput = {
  now: '2026-01-10T09:00:00Z',
  entity: 'contact',
  trigger: 'scheduled',
  settings: resolveSettings({ user: { synccontactcompany: true } }).settings,
  mappings,
  crm: { records },
  outlook: { items },
  state: { pairs, excluded: [] },
};

console.log(
  `sync: one synchronization of ${RECORDS.toLocaleString('en')} contacts (one core; ${items.length.toLocaleString('en')} Outlook contacts, ${mappings.length} mapped fields)`,
);
planSync(input); // warm-up
let best = Number.POSITIVE_INFINITY;
let counts = '';
for (let run = 0; run < RUNS; run += 1) {
  const t0 = performance.now();
  const plan = planSync(input);
  best = Math.min(best, performance.now() - t0);
  const tally = new Map<string, number>();
  for (const operation of plan.operations) tally.set(operation.op, (tally.get(operation.op) ?? 0) + 1);
  counts = [...tally].map(([op, n]) => `${op} ${n}`).join(', ');
}
const perSecond = Math.round(RECORDS / (best / 1000));
console.log(`  synchronization:   ${best.toFixed(0)} ms (best of ${RUNS})`);
console.log(
  `  records/second:    ${perSecond.toLocaleString('en')}  (budget ≥ ${BUDGET.toLocaleString('en')}: ${perSecond >= BUDGET ? 'met' : 'NOT MET'})`,
);
console.log(`  operations:        ${counts}`);
if (perSecond < BUDGET) process.exitCode = 1;
