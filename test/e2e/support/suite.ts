/**
 * The life of one e2e file around the harness: started once for the file, a fresh workbench (browser
 * context) per test closed after it, and, where a file asks, the emulator put back after every test so
 * that no test sees another's tracks, untracks, records, settings or faults, in any order.
 */
import { openWorkbench, startHarness, type Harness, type OpenOptions, type Workbench } from './harness';

export interface SuiteOptions {
  /**
   * Snapshot every emulator table once the harness is up, and after each test restore them all and
   * clear the injected faults (default true). Off for files whose tests only read the demo organization.
   */
  readonly restoreTables?: boolean;
  /**
   * The organization's settings (organization.orgdborgsettings XML) every test of the file starts with;
   * the table restore puts the seeded value back, so this needs `restoreTables`.
   */
  readonly orgSettings?: string;
}

export interface Suite {
  /** The file's harness (set once its beforeAll has run). */
  readonly h: Harness;
  /** Opens a workbench for the running test; it is closed after the test. */
  readonly open: (options?: OpenOptions) => Promise<Workbench>;
}

const userTables = (h: Harness): string[] =>
  (
    h.emu.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[]
  ).map((t) => t.name);

/** Registers the file's beforeAll/beforeEach/afterEach/afterAll; call it once at the top of the file. */
export function useWorkbenchSuite(options: SuiteOptions = {}): Suite {
  const restoreTables = options.restoreTables ?? true;
  if (options.orgSettings !== undefined && !restoreTables) {
    throw new Error('orgSettings needs restoreTables: nothing else would put the seeded settings back.');
  }
  let harness: Harness | undefined;
  let tables: string[] = [];
  const opened: Workbench[] = [];
  const h = (): Harness => {
    if (!harness) throw new Error('The harness is not started yet (used outside a test?).');
    return harness;
  };

  beforeAll(async () => {
    harness = await startHarness();
    if (!restoreTables) return;
    tables = userTables(harness);
    for (const table of tables) {
      harness.emu.db.prepare(`CREATE TEMP TABLE "snap_${table}" AS SELECT * FROM main."${table}"`).run();
    }
    // Building the workbench takes about a minute on a quiet machine; several minutes on a loaded one.
  }, 600_000);

  if (options.orgSettings !== undefined) {
    const settings = options.orgSettings;
    beforeEach(() => {
      h().emu.db.prepare('UPDATE organization SET orgdborgsettings = ?').run(settings);
    });
  }

  afterEach(async () => {
    for (const wb of opened.splice(0)) await wb.context.close().catch(() => undefined);
    if (!restoreTables) return;
    const { emu } = h();
    emu.faults.clear();
    emu.db.prepare('BEGIN').run();
    for (const table of tables) {
      emu.db.prepare(`DELETE FROM main."${table}"`).run();
      emu.db.prepare(`INSERT INTO main."${table}" SELECT * FROM "snap_${table}"`).run();
    }
    emu.db.prepare('COMMIT').run();
  });

  afterAll(async () => {
    await harness?.close();
  });

  return {
    get h() {
      return h();
    },
    open: async (openOptions) => {
      const wb = await openWorkbench(h(), openOptions);
      opened.push(wb);
      return wb;
    },
  };
}
