/** The workbench's demo mailbox and the emulator's demo organization describe the same people and threads. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb } from '../../emulator/db';
import { DEMO, seedDatabase, WORKBENCH } from '../../emulator/seed';
import { createOfficeSimulator, DEMO_PEOPLE, loadDemoMailbox } from '../../simulator';

const TABLES: Record<string, { table: string; column: string }> = {
  systemuser: { table: 'systemuser', column: 'internalemailaddress' },
  contact: { table: 'contact', column: 'emailaddress1' },
  lead: { table: 'lead', column: 'emailaddress1' },
};

test("every CRM role of every demo person exists in the emulator seed, and no one else has the stranger's address", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tic-seed-'));
  const db = openDb(path.join(dir, 'crm.sqlite'));
  try {
    seedDatabase(db, 'demo');
    for (const person of Object.values(DEMO_PEOPLE)) {
      for (const role of person.crm as readonly string[]) {
        const { table, column } = TABLES[role] as { table: string; column: string };
        const rows = db
          .prepare(`select 1 from ${table} where ${column} = ? collate nocase`)
          .all(person.address);
        expect({ person: person.address, role, found: rows.length > 0 }).toEqual({
          person: person.address,
          role,
          found: true,
        });
      }
    }
    const stranger = DEMO_PEOPLE.stranger.address;
    for (const { table, column } of Object.values(TABLES)) {
      expect(db.prepare(`select 1 from ${table} where ${column} = ? collate nocase`).all(stranger)).toEqual(
        [],
      );
    }
    // The custom email-enabled table's address is its own: no other table holds it, nor the stranger's.
    const addressColumns: [string, string][] = [
      ['contact', 'emailaddress1'],
      ['contact', 'emailaddress2'],
      ['contact', 'emailaddress3'],
      ['account', 'emailaddress1'],
      ['lead', 'emailaddress1'],
      ['systemuser', 'internalemailaddress'],
      ['queue', 'emailaddress'],
    ];
    for (const [table, column] of addressColumns) {
      expect(
        db.prepare(`select 1 from ${table} where ${column} = ? collate nocase`).all(DEMO.partnerAddress),
      ).toEqual([]);
    }
    expect(
      db
        .prepare('select 1 from new_partner where new_emailaddress = ? collate nocase')
        .all(DEMO.partnerAddress),
    ).toHaveLength(1);
    expect(
      db.prepare('select 1 from new_partner where new_emailaddress = ? collate nocase').all(stranger),
    ).toEqual([]);
    // The demo mailbox's tracked threads are the seed's tracked emails.
    const sim = createOfficeSimulator();
    loadDemoMailbox(sim.mailbox);
    const messageIds = new Set(sim.mailbox.allItems().map((item) => item.internetMessageId));
    for (const { messageId } of Object.values(WORKBENCH.tracked)) {
      expect(messageIds.has(messageId)).toBe(true);
      expect(db.prepare('select 1 from email where messageid = ?').all(messageId)).toHaveLength(1);
    }
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
