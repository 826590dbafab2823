/**
 * Synchronization runner benchmark (issue 12), end to end through the real sync adapters against the
 * two emulators on SQLite, every HTTP request counted by a fetch wrapper:
 * - a first synchronization of 5,000 CRM contacts in scope of the user's contact filter, into an
 *   empty mailbox: wall time, Dataverse and Graph requests (budget: ≤ 10 Dataverse, ≤ 260 Graph);
 * - the quiet synchronization after it (budget: 1 Dataverse request per filter, 1 Graph delta per type).
 * Each contact has a first and last name, an email, a job title and a business phone.
 */
import { performance } from 'node:perf_hooks';
import { insertOutlookFilter } from '../emulator/outlookFilter';
import { DEMO, seedId } from '../emulator/seed';
import type { MailboxPort } from '../src/app/ports';
import { openSession } from '../src/app/session';
import { NO_TOKEN } from '../src/crm/auth';
import { DataverseAdapter } from '../src/crm/dataverseAdapter';
import { DataverseHttp } from '../src/crm/dataverseHttp';
import { DataverseSync } from '../src/crm/syncAdapter';
import { EMULATOR_TOKEN } from '../src/graph/auth';
import { GraphHttp } from '../src/graph/graphHttp';
import { GraphSync } from '../src/graph/syncAdapter';
import { ADDIN_ID } from '../src/host/addinId';
import { startSyncOnEmulators } from '../test/support/syncOnEmulators';
import { startBenchEmulators } from './benchEmulators';
import { countingFetch } from './countingFetch';

const CONTACTS = 5_000;
const DEPARTMENT = 'Synchronization bench';
const BUDGET = { firstDataverse: 10, firstGraph: 260 };

async function main(): Promise<void> {
  const emulators = await startBenchEmulators('synchronization');
  const { crmEmu, graphEmu, orgUrl } = emulators;
  try {
    // One Outlook filter per type, as a user who set them up has; only the bench's contacts are in scope.
    for (const [entity, condition] of [
      ['contact', `<condition attribute="department" operator="eq" value="${DEPARTMENT}"/>`],
      ['appointment', `<condition attribute="subject" operator="eq" value="${DEPARTMENT}"/>`],
      ['task', `<condition attribute="subject" operator="eq" value="${DEPARTMENT}"/>`],
    ] as const)
      insertOutlookFilter(crmEmu.db, {
        userqueryid: seedId(`synchronization-bench:filter:${entity}`),
        name: `My ${entity}s`,
        entity,
        conditions: condition,
      });
    let started = performance.now();
    crmEmu.db.transaction(() => {
      for (let i = 0; i < CONTACTS; i += 1)
        crmEmu.db.insert('contact', {
          contactid: seedId(`synchronization-bench:contact:${i}`),
          firstname: `Pat${i}`,
          lastname: `Rivera${i % 97}`,
          emailaddress1: `pat${i}@fabrikam.example`,
          jobtitle: i % 3 === 0 ? 'Buyer' : 'Engineer',
          telephone1: `+1 555 ${String(i).padStart(4, '0')}`,
          department: DEPARTMENT,
          statecode: 0,
          statuscode: 1,
          _ownerid_value: DEMO.me,
          _ownerid_type: 'systemuser',
        });
    });
    console.log(
      `Synchronization: ${CONTACTS} CRM contacts written in ${(performance.now() - started).toFixed(0)} ms`,
    );

    const session = await openSession({
      crm: new DataverseAdapter(new DataverseHttp({ orgUrl, tokens: NO_TOKEN })),
      mailbox: { userAddress: () => DEMO.meEmail } as MailboxPort,
      pending: { load: async () => [], save: async () => {} },
      tokens: { next: async () => 0 },
      clock: { now: () => Date.now() },
      localOptions: { load: async () => ({ client: {}, user: {} }), save: async () => {} },
    });
    const dvCount = countingFetch();
    const graphCount = countingFetch();
    const log = (message: string, error?: unknown): void => console.error(message, error ?? '');
    // The quiet run is the scheduled one (it keeps the filters and mappings the first run read).
    const { sync, runScheduled } = startSyncOnEmulators({
      session,
      crm: new DataverseSync(
        new DataverseHttp({ orgUrl, tokens: NO_TOKEN, fetch: dvCount.fetch, timeoutMs: 120_000 }),
        { userId: session.user.id, log },
      ),
      outlook: new GraphSync({
        http: new GraphHttp({
          baseUrl: graphEmu.url,
          tokens: EMULATOR_TOKEN,
          fetch: graphCount.fetch,
          timeoutMs: 120_000,
        }),
        addinId: ADDIN_ID,
        log,
      }),
      log,
    });

    const run = async (
      label: string,
      budget: string,
      scheduled = false,
    ): Promise<{ dataverse: number; graph: number }> => {
      const dvBefore = dvCount.count();
      const graphBefore = graphCount.count();
      const dvMsBefore = dvCount.ms();
      const graphMsBefore = graphCount.ms();
      started = performance.now();
      if (scheduled) await runScheduled();
      else await sync.synchronizeNow();
      const ms = performance.now() - started;
      const record = sync.status().runs[0];
      const dataverse = dvCount.count() - dvBefore;
      const graph = graphCount.count() - graphBefore;
      console.log(
        `${label}: ${ms.toFixed(0)} ms, ${dataverse} Dataverse and ${graph} Graph requests (${budget}); ` +
          `waited ${(dvCount.ms() - dvMsBefore).toFixed(0)} ms on Dataverse, ${(graphCount.ms() - graphMsBefore).toFixed(0)} ms on Graph`,
      );
      for (const type of record?.types ?? [])
        console.log(
          `  ${type.entity}: ${type.crmRecords} in scope, ${type.outlookItems} Outlook items, done ${JSON.stringify(type.done)}, failed ${type.failed}` +
            (type.error ? `; error: ${type.error}` : ''),
        );
      return { dataverse, graph };
    };

    const first = await run(
      `first synchronization of ${CONTACTS} contacts`,
      `budget ≤ ${BUDGET.firstDataverse} Dataverse, ≤ ${BUDGET.firstGraph} Graph`,
    );
    const quiet = await run(
      'quiet synchronization',
      'budget 3 Dataverse (one per filter), 3 Graph (one delta per type)',
      true,
    );
    sync.stop();
    const over = [
      first.dataverse > BUDGET.firstDataverse ? `first: ${first.dataverse} Dataverse` : null,
      first.graph > BUDGET.firstGraph ? `first: ${first.graph} Graph` : null,
      quiet.dataverse > 3 ? `quiet: ${quiet.dataverse} Dataverse` : null,
      quiet.graph > 3 ? `quiet: ${quiet.graph} Graph` : null,
    ].filter((o) => o !== null);
    console.log(over.length ? `OVER BUDGET: ${over.join(', ')}` : 'within budget');
  } finally {
    await emulators.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
