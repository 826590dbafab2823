/**
 * The two emulators a bench runs against, on SQLite files in a temporary folder of their own: the
 * Dataverse one on the demo organization, the Graph one on an empty mailbox (the bench delivers what it
 * measures). Closing them removes the folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGraphEmulator, type GraphEmulator } from '../emulator/graph/server';
import { startEmulator, type Emulator } from '../emulator/server';

export interface BenchEmulators {
  readonly crmEmu: Emulator;
  readonly graphEmu: GraphEmulator;
  /** The Dataverse organization URL (no /api/data/v9.2), as DataverseHttp takes it. */
  readonly orgUrl: string;
  close(): Promise<void>;
}

export async function startBenchEmulators(label: string): Promise<BenchEmulators> {
  const dir = mkdtempSync(path.join(tmpdir(), `tic-${label}-bench-`));
  const crmEmu = await startEmulator({ port: 0, dbFile: path.join(dir, 'crm.sqlite'), seed: 'demo' });
  const graphEmu = await startGraphEmulator({
    port: 0,
    dbFile: path.join(dir, 'graph.sqlite'),
    seed: 'empty',
  });
  return {
    crmEmu,
    graphEmu,
    orgUrl: crmEmu.url.replace(/\/api\/data\/v9\.2\/?$/, ''),
    close: async () => {
      try {
        await graphEmu.close();
        await crmEmu.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
