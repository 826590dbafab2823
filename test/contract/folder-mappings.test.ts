/**
 * Folder-level tracking rules (`mailboxtrackingfolders`) through the add-in's FolderMappingPort
 * adapter (src/crm/folderMappings.ts) against the Dataverse emulator's demo organization, and the same
 * rows written and read by a Dataverse client we did not write (`dynamics-web-api`), so the table's
 * shape is Dataverse's, not the adapter's.
 */
import type { DynamicsWebApi } from 'dynamics-web-api';
import type { Emulator } from '../../emulator/server';
import { DEMO, seedId } from '../../emulator/seed';
import { DEMO_FOLDERS } from '../../emulator/graph/seed';
import { NO_TOKEN } from '../../src/crm/auth';
import { DataverseHttp } from '../../src/crm/dataverseHttp';
import { CrmNotFoundError } from '../../src/crm/errors';
import {
  DataverseFolderMappings,
  FolderAlreadyMappedError,
  FolderMappingInvalidError,
  FolderMappingLimitError,
  MAX_FOLDER_MAPPINGS,
  NoMailboxError,
} from '../../src/crm/folderMappings';
import { dynamicsWebApiOn } from '../support/dataverseClients';
import { startDemoEmulator } from '../support/demoEmulator';

let emu: Emulator;
let http: DataverseHttp;
let mappings: DataverseFolderMappings;
let api: DynamicsWebApi;

const LEE = seedId('user:lee');
const ARI = seedId('user:ari');
const FABRIKAM = seedId('account:fabrikam.com');
const SAM = seedId('contact:sam');

beforeAll(async () => {
  emu = await startDemoEmulator('folder-mappings');
  http = new DataverseHttp({ orgUrl: emu.url.replace(/\/api\/data\/v9\.2\/?$/, ''), tokens: NO_TOKEN });
  mappings = new DataverseFolderMappings(http);
  api = dynamicsWebApiOn(emu);
});

afterAll(async () => {
  await emu?.close();
});

/** Requests the adapter sent while `run` ran. */
async function counted<T>(run: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const before = http.requestCount;
  const result = await run();
  return { result, requests: http.requestCount - before };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('list (the user mailbox and its rules in one request)', () => {
  test('the seeded rule of "me": Inbox/Projects/Fabrikam regarding the Fabrikam account, named', async () => {
    const { result, requests } = await counted(() => mappings.list(DEMO.me));
    expect(requests).toBe(1);
    expect(result).toEqual([
      {
        id: seedId('trackingfolder:fabrikam'),
        folderId: DEMO_FOLDERS.fabrikam,
        folderPath: 'Inbox/Projects/Fabrikam',
        regarding: { type: 'account', id: FABRIKAM },
        regardingName: 'Fabrikam',
      },
    ]);
  });

  test('the list asks past any cache of the expanded rules (If-None-Match: null) with annotations', async () => {
    const sent: Record<string, string>[] = [];
    const spying = new DataverseHttp({
      orgUrl: emu.url.replace(/\/api\/data\/v9\.2\/?$/, ''),
      tokens: NO_TOKEN,
      fetch: (input, init) => {
        sent.push({ ...(init?.headers as Record<string, string>) });
        return fetch(input, init);
      },
    });
    await new DataverseFolderMappings(spying).list(DEMO.me);
    expect(sent).toEqual([
      expect.objectContaining({ 'If-None-Match': 'null', Prefer: 'odata.include-annotations="*"' }),
    ]);
  });

  test('a user with a mailbox and no rules has none', async () => {
    expect(await mappings.list(ARI)).toEqual([]);
  });

  test('a user without a mailbox row is a typed NoMailboxError, not an empty list', async () => {
    const error = await rejection(mappings.list('0b7a4b1e-0000-4000-8000-000000000001'));
    expect(error).toBeInstanceOf(NoMailboxError);
    expect((error as NoMailboxError).retryable).toBe(false);
  });
});

describe('add and remove', () => {
  test('add: one GET and one POST; the created rule comes back with the regarding name and is listed', async () => {
    const { result, requests } = await counted(() =>
      mappings.add(LEE, {
        folderId: 'AAMkADFoLeeSamFolder000000000000000000000AAA=',
        folderPath: 'Inbox/Sam',
        regarding: { type: 'contact', id: SAM },
      }),
    );
    expect(requests).toBe(2);
    expect(result).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      folderId: 'AAMkADFoLeeSamFolder000000000000000000000AAA=',
      folderPath: 'Inbox/Sam',
      regarding: { type: 'contact', id: SAM },
      regardingName: 'Sam Rivera',
    });
    expect(await mappings.list(LEE)).toEqual([result]);
    // Dataverse fills the regarding's table name in and starts the rule not yet onboarded.
    const row = await api.retrieve<Record<string, unknown>>({
      collection: 'mailboxtrackingfolders',
      key: result.id,
      select: ['regardingobjecttypecode', 'folderonboardingstatus', '_mailboxid_value', '_ownerid_value'],
    });
    expect(row).toMatchObject({
      regardingobjecttypecode: 'contact',
      folderonboardingstatus: 0,
      _mailboxid_value: seedId('mailbox:lee@contoso.com'),
    });
    await mappings.remove(result.id);
    expect(await mappings.list(LEE)).toEqual([]);
  });

  test('a folder already mapped (same id, or the same path in other case) is refused without a write', async () => {
    const before = await mappings.list(DEMO.me);
    for (const attempt of [
      { folderId: DEMO_FOLDERS.fabrikam, folderPath: 'Elsewhere' },
      { folderId: 'AAMkADFoAnotherIdSamePath00000000000000000AAA=', folderPath: ' inbox/projects/FABRIKAM ' },
    ]) {
      const { result: error, requests } = await counted(() =>
        rejection(mappings.add(DEMO.me, { ...attempt, regarding: { type: 'contact', id: SAM } })),
      );
      expect(error).toBeInstanceOf(FolderAlreadyMappedError);
      expect((error as FolderAlreadyMappedError).existing.regardingName).toBe('Fabrikam');
      expect((error as FolderAlreadyMappedError).shortMessage).toMatch(/already tracked/);
      expect(requests).toBe(1);
    }
    expect(await mappings.list(DEMO.me)).toEqual(before);
  });

  test.each([
    ['a user', 'systemuser'],
    ['a queue', 'queue'],
    ['an unknown table', 'new_partner'],
  ])('a regarding of %s (%s) is refused before any request', async (_label, type) => {
    const { result: error, requests } = await counted(() =>
      rejection(
        mappings.add(DEMO.me, {
          folderId: 'AAMkADFoTypeCheck0000000000000000000000000AAA=',
          folderPath: 'Inbox/Type check',
          regarding: { type, id: DEMO.me },
        }),
      ),
    );
    expect(error).toBeInstanceOf(FolderMappingInvalidError);
    expect(requests).toBe(0);
  });

  test.each([
    ['a folder id over exchangefolderid MaxLength 120', 'x'.repeat(121), 'Inbox/Long id'],
    ['an empty folder path', 'AAMkADFoEmptyPath', '   '],
    ['a path over exchangefoldername MaxLength 256', 'AAMkADFoLongPath', `Inbox/${'p'.repeat(251)}`],
  ])('%s is refused before any request', async (_label, folderId, folderPath) => {
    const { result: error, requests } = await counted(() =>
      rejection(
        mappings.add(DEMO.me, { folderId, folderPath, regarding: { type: 'account', id: FABRIKAM } }),
      ),
    );
    expect(error).toBeInstanceOf(FolderMappingInvalidError);
    expect(requests).toBe(0);
  });

  test('a regarding id that is no GUID never reaches a URL: refused before any request', async () => {
    const { result: error, requests } = await counted(() =>
      rejection(
        mappings.add(DEMO.me, {
          folderId: 'AAMkADFoBadRegarding',
          folderPath: 'Inbox/Bad regarding',
          regarding: { type: 'account', id: 'x)/../contacts(' },
        }),
      ),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(requests).toBe(0);
  });

  test(`the ${MAX_FOLDER_MAPPINGS + 1}th rule of a mailbox is refused ("at most 25 rules per mailbox")`, async () => {
    const added: string[] = [];
    for (let i = 0; i < MAX_FOLDER_MAPPINGS; i += 1) {
      const row = await mappings.add(ARI, {
        folderId: `AAMkADFoAriFolder${String(i).padStart(2, '0')}`,
        folderPath: `Inbox/Customers/${i}`,
        regarding: { type: 'account', id: FABRIKAM },
      });
      added.push(row.id);
    }
    const error = await rejection(
      mappings.add(ARI, {
        folderId: 'AAMkADFoAriFolderOneTooMany',
        folderPath: 'Inbox/Customers/one too many',
        regarding: { type: 'account', id: FABRIKAM },
      }),
    );
    expect(error).toBeInstanceOf(FolderMappingLimitError);
    expect(await mappings.list(ARI)).toHaveLength(MAX_FOLDER_MAPPINGS);
    for (const id of added) await mappings.remove(id);
    expect(await mappings.list(ARI)).toEqual([]);
  });

  test('remove of a rule already gone is done, not an error; a key that is no GUID is refused', async () => {
    await expect(mappings.remove('5d3c0c4e-1111-4222-8333-944455556666')).resolves.toBeUndefined();
    await expect(mappings.remove("x') or (1 eq 1")).rejects.toThrow(TypeError);
  });

  test('a regarding record that does not exist is a 404 from the CRM for the bind (typed), and nothing is added', async () => {
    const error = await rejection(
      mappings.add(LEE, {
        folderId: 'AAMkADFoLeeGhost',
        folderPath: 'Inbox/Ghost',
        regarding: { type: 'account', id: '7d3c0c4e-1111-4222-8333-944455556666' },
      }),
    );
    expect(error).toBeInstanceOf(CrmNotFoundError);
    expect(await mappings.list(LEE)).toEqual([]);
  });
});

describe('the table as a third-party client sees it (dynamics-web-api)', () => {
  test('a rule created with the library (documented create: mailboxid, regarding, folder id and name) is read by the adapter', async () => {
    const id = (await api.create({
      collection: 'mailboxtrackingfolders',
      data: {
        exchangefolderid: 'AAMkADFoDwaCreated',
        exchangefoldername: 'Inbox/Created by DWA',
        'mailboxid@odata.bind': `/mailboxes(${seedId('mailbox:lee@contoso.com')})`,
        'regardingobjectid_account@odata.bind': `/accounts(${FABRIKAM})`,
      },
    })) as string;
    const [rule] = await mappings.list(LEE);
    expect(rule).toEqual({
      id,
      folderId: 'AAMkADFoDwaCreated',
      folderPath: 'Inbox/Created by DWA',
      regarding: { type: 'account', id: FABRIKAM },
      regardingName: 'Fabrikam',
    });
    await api.deleteRecord({ collection: 'mailboxtrackingfolders', key: id });
    expect(await mappings.list(LEE)).toEqual([]);
  });

  test('the mailbox expands Mailbox_MailboxTrackingFolder with lookup annotations', async () => {
    const response = await api.retrieveMultiple<Record<string, unknown>>({
      collection: 'mailboxes',
      select: ['mailboxid'],
      filter: `_regardingobjectid_value eq ${DEMO.me}`,
      expand: [
        {
          property: 'Mailbox_MailboxTrackingFolder',
          select: ['exchangefoldername', '_regardingobjectid_value', 'regardingobjecttypecode'],
        },
      ],
      includeAnnotations: 'OData.Community.Display.V1.FormattedValue',
    });
    const rules = response.value[0]?.Mailbox_MailboxTrackingFolder as Record<string, unknown>[];
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      exchangefoldername: 'Inbox/Projects/Fabrikam',
      _regardingobjectid_value: FABRIKAM,
      '_regardingobjectid_value@OData.Community.Display.V1.FormattedValue': 'Fabrikam',
      regardingobjecttypecode: 'account',
    });
  });

  test('a rule without a regarding (allowed: RegardingObjectId is optional) is not listed, is logged, and still holds its folder', async () => {
    const logged: string[] = [];
    const logging = new DataverseFolderMappings(http, { log: (line) => logged.push(line) });
    const id = (await api.create({
      collection: 'mailboxtrackingfolders',
      data: {
        exchangefolderid: 'AAMkADFoNoRegarding',
        exchangefoldername: 'Inbox/No regarding',
        'mailboxid@odata.bind': `/mailboxes(${seedId('mailbox:lee@contoso.com')})`,
      },
    })) as string;
    expect(await logging.list(LEE)).toEqual([]);
    expect(logged).toEqual([expect.stringContaining(id)]);
    const error = await rejection(
      logging.add(LEE, {
        folderId: 'AAMkADFoNoRegarding',
        folderPath: 'Inbox/Another name',
        regarding: { type: 'account', id: FABRIKAM },
      }),
    );
    expect(error).toBeInstanceOf(FolderMappingInvalidError);
    await api.deleteRecord({ collection: 'mailboxtrackingfolders', key: id });
  });

  test('deleting the regarding contact deletes its rules (Contact_MailboxTrackingFolder: Delete Cascade)', async () => {
    const contactId = (await api.create({ collection: 'contacts', data: { lastname: 'Cascade' } })) as string;
    await mappings.add(LEE, {
      folderId: 'AAMkADFoLeeCascade',
      folderPath: 'Inbox/Cascade',
      regarding: { type: 'contact', id: contactId },
    });
    expect(await mappings.list(LEE)).toHaveLength(1);
    await api.deleteRecord({ collection: 'contacts', key: contactId });
    expect(await mappings.list(LEE)).toEqual([]);
  });
});
