/** The CrmPort contract against the Dataverse adapter on the emulator (in-process, over HTTP). */
import type { Emulator } from '../../emulator/server';
import { startDemoEmulator } from '../support/demoEmulator';
import { DEMO } from '../../emulator/seed';
import { NO_TOKEN } from '../../src/crm/auth';
import { DataverseAdapter } from '../../src/crm/dataverseAdapter';
import { DataverseHttp } from '../../src/crm/dataverseHttp';
import { crmPortContract } from './crm-port.contract';

let emu: Emulator;
let http: DataverseHttp;
let crm: DataverseAdapter;

beforeAll(async () => {
  emu = await startDemoEmulator('port-contract');
  http = new DataverseHttp({
    orgUrl: emu.url.replace(/\/api\/data\/v9\.2\/?$/, ''),
    tokens: NO_TOKEN,
    timeoutMs: 5000,
  });
  crm = new DataverseAdapter(http, { sleep: async () => {}, random: () => 0 });
  await crm.openSession();
});

afterAll(async () => {
  await emu?.close();
});

describe('CrmPort contract: Dataverse adapter on the emulator', () => {
  crmPortContract(() => ({
    crm,
    userId: DEMO.me,
    addContact: async (email, options = {}) => {
      const { headers } = await http.send('POST', 'contacts', {
        body: {
          lastname: options.lastname ?? email.split('@')[0],
          emailaddress1: email,
          ...(options.active === false ? { statecode: 1, statuscode: 2 } : {}),
        },
        idempotent: false,
      });
      const id = /\(([^)]+)\)$/.exec(headers.get('odata-entityid') ?? '')?.[1] as string;
      return { type: 'contact', id };
    },
    addEmailWithThreadIndex: async (messageId, threadIndex) => {
      // Straight into the store, as server-side synchronization would leave it.
      const row = emu.db.insert('email', {
        messageid: messageId,
        subject: 'Filled in by Dataverse',
        conversationindex: threadIndex,
      });
      return String(row.activityid).toLowerCase();
    },
  }));
});
