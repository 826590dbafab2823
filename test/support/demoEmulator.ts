/**
 * A Dataverse emulator on the demo organization, in a database of its own (a fresh temporary folder),
 * on a free port: what every contract and integration suite starts. Closing it also removes the folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/server';

export async function startDemoEmulator(label: string): Promise<Emulator> {
  const dir = mkdtempSync(path.join(tmpdir(), `tic-${label}-`));
  try {
    const emu = await startEmulator({ port: 0, dbFile: path.join(dir, 'crm.sqlite'), seed: 'demo' });
    const close = emu.close.bind(emu);
    return Object.assign(emu, {
      close: async () => {
        try {
          await close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
