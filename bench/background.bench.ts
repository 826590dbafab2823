/**
 * Background-check benchmark (issue 11), the runner end to end through the real adapters against the
 * two emulators on SQLite, every HTTP request counted by a fetch wrapper:
 * - a first cycle over 10,000 Inbox messages in the lookback window (`tic_backgroundMaxItems` raised
 *   to 10,000 so one cycle takes them all): wall time, items/s, Graph and Dataverse requests;
 * - the quiet cycle after it: wall time and requests (budget: 1 Graph request per folder, 0 Dataverse).
 * The mix: a third from contacts or a lead of the demo CRM (tracked), a fifth from a stranger
 * (skipped), the rest from colleagues (internal: skipped), one in ten a reply to an earlier message.
 */
import { performance } from 'node:perf_hooks';
import { DEMO } from '../emulator/seed';
import { createBackgroundCheck } from '../src/app/backgroundCheck';
import { MAX_DELTA_PAGES } from '../src/app/backgroundCycleRun';
import { EMPTY_BACKGROUND_STATE, type BackgroundState } from '../src/app/backgroundState';
import type { MailboxPort, PendingTrack } from '../src/app/ports';
import { openSession } from '../src/app/session';
import { NO_TOKEN } from '../src/crm/auth';
import { DataverseAdapter } from '../src/crm/dataverseAdapter';
import { DataverseHttp } from '../src/crm/dataverseHttp';
import { EMULATOR_TOKEN } from '../src/graph/auth';
import { GraphMailbox } from '../src/graph/graphAdapter';
import { GraphHttp } from '../src/graph/graphHttp';
import { ADDIN_ID } from '../src/host/addinId';
import { startBenchEmulators } from './benchEmulators';
import { countingFetch } from './countingFetch';

const MESSAGES = 10_000;
const ME = { name: 'Dana Park', address: DEMO.meEmail };
const SENDERS = [
  { name: 'Ann Lee', address: 'ann@fabrikam.com' },
  { name: 'Bob Kim', address: 'bob@fabrikam.com' },
  { name: 'Evan Wright', address: 'evan@wingtiptoys.com' },
  { name: 'Alex Stranger', address: 'stranger@example.org' },
  { name: 'Sam Lee', address: 'sam@contoso.com' },
];

async function main(): Promise<void> {
  const emulators = await startBenchEmulators('background');
  const { crmEmu, graphEmu, orgUrl } = emulators;
  try {
    crmEmu.db.insert('environmentvariabledefinition', {
      schemaname: 'tic_backgroundMaxItems',
      defaultvalue: String(MESSAGES),
    });
    const dvCount = countingFetch();
    const crm = new DataverseAdapter(
      new DataverseHttp({
        orgUrl,
        tokens: NO_TOKEN,
        fetch: dvCount.fetch,
        timeoutMs: 120_000,
      }),
    );
    await crm.openSession();
    await crm.savePersonalOptions(DEMO.me, { incomingemailfilteringmethod: 2 });
    let pendingList: PendingTrack[] = [];
    const session = await openSession({
      crm,
      mailbox: { userAddress: () => ME.address } as MailboxPort,
      pending: {
        load: async () => pendingList,
        save: async (list) => {
          pendingList = [...list];
        },
      },
      tokens: { next: async () => 0 },
      clock: { now: () => Date.now() },
      localOptions: { load: async () => ({ client: {}, user: {} }), save: async () => {} },
    });
    if (session.settings.organization.backgroundMaxItems !== MESSAGES)
      throw new Error('tic_backgroundMaxItems was not read from the emulator');

    let started = performance.now();
    const now = Date.now();
    graphEmu.db.transaction(() => {
      for (let i = 0; i < MESSAGES; i += 1) {
        const from = SENDERS[i % SENDERS.length] as (typeof SENDERS)[number];
        const earlier =
          i >= 10 && i % 10 === 0
            ? `<bench-${i - 7}@${SENDERS[(i - 7) % SENDERS.length]?.address.split('@')[1]}>`
            : null;
        graphEmu.deliver({
          key: `bench-${i}`,
          folder: 'inbox',
          subject: earlier ? `RE: Order ${i - 7} for the spring range` : `Order ${i} for the spring range`,
          from,
          to: [ME],
          // Spread over the last 40 hours: all inside the default two-day lookback.
          receivedAt: new Date(now - (MESSAGES - i) * 14_000).toISOString(),
          messageId: `<bench-${i}@${from.address.split('@')[1]}>`,
          ...(earlier ? { replyTo: { messageId: earlier } } : {}),
        });
      }
    });
    const deliverMs = performance.now() - started;

    const graphCount = countingFetch();
    const graph = new GraphMailbox({
      http: new GraphHttp({
        baseUrl: graphEmu.url,
        tokens: EMULATOR_TOKEN,
        fetch: graphCount.fetch,
        timeoutMs: 120_000,
      }),
      userAddress: ME.address,
      addinId: ADDIN_ID,
    });
    let state: BackgroundState = EMPTY_BACKGROUND_STATE;
    const check = createBackgroundCheck({
      session: () => session,
      graph,
      store: {
        load: async () => state,
        save: async (next) => {
          state = next;
        },
      },
      folderMappings: async () => [],
      outlookItemId: () => null,
      clock: { now: () => Date.now() },
      timer: { setTimeout: () => 0, clearTimeout: () => {} },
      log: { log: (message, error) => console.error(message, error ?? '') },
    });
    check.start();

    const cycle = async (label: string): Promise<void> => {
      const graphBefore = graphCount.count();
      const dvBefore = dvCount.count();
      const graphMsBefore = graphCount.ms();
      const dvMsBefore = dvCount.ms();
      started = performance.now();
      check.checkNow();
      await check.settled();
      const ms = performance.now() - started;
      const status = check.status();
      const counts = status.lastCycle?.counts;
      console.log(
        `${label}: ${ms.toFixed(0)} ms, ${counts?.lookedAt ?? 0} items (${counts?.lookedAt ? ((counts.lookedAt / ms) * 1000).toFixed(0) : 0} items/s), ` +
          `${graphCount.count() - graphBefore} Graph and ${dvCount.count() - dvBefore} Dataverse requests ` +
          `(waited ${(graphCount.ms() - graphMsBefore).toFixed(0)} ms on Graph, ${(dvCount.ms() - dvMsBefore).toFixed(0)} ms on Dataverse)`,
      );
      if (counts)
        console.log(
          `  tracked ${counts.tracked}, tagged ${counts.tagged}, skipped ${counts.skipped}, deferred ${counts.deferred}, failed ${counts.failed}` +
            (status.lastError ? `; error: ${status.lastError}` : ''),
        );
    };

    // A cycle reads at most MAX_DELTA_PAGES pages per folder; a round cut short goes on from its
    // nextLink in the next cycle (a minute later), until a page ends it with the deltaLink.
    const roundEnded = (): boolean => /deltatoken/i.test(state.watermarks.inbox ?? '');
    const round = async (label: string): Promise<void> => {
      const roundStarted = performance.now();
      let cycles = 0;
      do await cycle(`${label}, cycle ${++cycles}`);
      while (!roundEnded() && cycles < 20);
      console.log(`${label}: ${cycles} cycle(s), ${(performance.now() - roundStarted).toFixed(0)} ms in all`);
    };
    console.log(`Background check: ${MESSAGES} Inbox messages delivered in ${deliverMs.toFixed(0)} ms`);
    await round(`first round (${MAX_DELTA_PAGES} delta pages a cycle)`);
    // Graph's delta gives back every item the first round tagged (a write changes the item): seen at
    // the changeKey the write returned, so decided by no one, but its pages are read.
    await round('echo round (our own tag writes read back)');
    await cycle('quiet cycle (budget: 1 Graph, 0 Dataverse)');
    check.stop();
    if (pendingList.length) console.log(`  ${pendingList.length} tracks in the pending queue`);
  } finally {
    await emulators.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
