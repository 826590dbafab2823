/**
 * The emulator driven by a Dataverse client we did not write: DynamicsWebApi (npm `dynamics-web-api`,
 * v2). Each test is named after the documented Dataverse behaviour it proves; where the library can
 * express them, the request shapes the add-in sends (src/crm/dataverseAdapter.ts) are here too.
 * The emulator starts in-process on a free port with a fresh SQLite file.
 */
import { DynamicsWebApi } from 'dynamics-web-api';
import type { Emulator } from '../../emulator/server';
import { dynamicsWebApiOn } from '../support/dataverseClients';
import { startDemoEmulator } from '../support/demoEmulator';
import { DEMO } from '../../emulator/seed';

let emu: Emulator;
let api: DynamicsWebApi;

beforeAll(async () => {
  emu = await startDemoEmulator('dwa');
  api = dynamicsWebApiOn(emu);
});

afterAll(async () => {
  await emu?.close();
});

type Row = Record<string, unknown>;
const FORMATTED = 'OData.Community.Display.V1.FormattedValue';

/** The error a rejected call carries (DynamicsWebApi copies Dataverse's `error` onto an Error). */
async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number; code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status: number; code: string; message: string };
  }
  throw new Error('expected the call to fail');
}

/** Inside a batch response the library keeps Dataverse's body as is: the code is under `error`. */
const partError = (value: unknown): { status?: number; code?: string } => {
  const e = value as { status?: number; error?: { code?: string } };
  return { status: e.status, code: e.error?.code };
};

/** A fresh contact, so tests do not depend on each other. */
async function newContact(lastname: string, extra: Row = {}): Promise<string> {
  return (await api.create({ collection: 'contacts', data: { lastname, ...extra } })) as string;
}

const jsonArray = (values: readonly string[]): string => JSON.stringify(values);

describe('records: create, retrieve, update, delete (Create/Retrieve/Update/Delete a table row)', () => {
  test('create answers 204 with OData-EntityId: the library returns the new id', async () => {
    const id = await newContact('Created', { firstname: 'Dwa' });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const row = await api.retrieve<Row>({ collection: 'contacts', key: id, select: ['fullname'] });
    expect(row.fullname).toBe('Dwa Created');
  });

  test('create with Prefer: return=representation answers the row', async () => {
    const row = await api.create<Row, Row>({
      collection: 'contacts',
      data: { firstname: 'Rep', lastname: 'Resented' },
      returnRepresentation: true,
      select: ['fullname', 'contactid'],
    });
    expect(row.fullname).toBe('Rep Resented');
    expect(row.contactid).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('update (PATCH) changes the columns sent and keeps the others', async () => {
    const id = await newContact('Before', { firstname: 'Keep' });
    await api.update({ collection: 'contacts', key: id, data: { lastname: 'After' } });
    const row = await api.retrieve<Row>({
      collection: 'contacts',
      key: id,
      select: ['firstname', 'lastname'],
    });
    expect(row).toMatchObject({ firstname: 'Keep', lastname: 'After' });
  });

  test('delete answers 204; retrieving the deleted row is 404 with 0x80040217', async () => {
    const id = await newContact('Doomed');
    await api.deleteRecord({ collection: 'contacts', key: id });
    const error = await failure(api.retrieve({ collection: 'contacts', key: id }));
    expect(error.status).toBe(404);
    expect(error.code).toBe('0x80040217');
  });

  test('a string longer than the column MaxLength is 400 with 0x80044331', async () => {
    const error = await failure(api.create({ collection: 'contacts', data: { lastname: 'x'.repeat(51) } }));
    expect(error.status).toBe(400);
    expect(error.code).toBe('0x80044331');
    expect(error.message).toContain("maximum allowed length of '50'");
  });
});

describe('queries (Query data using the Web API)', () => {
  test('retrieveMultiple with $select, $filter, $orderby and $top', async () => {
    const result = await api.retrieveMultiple<Row>({
      collection: 'accounts',
      select: ['name'],
      filter: "startswith(name,'Fab')",
      orderBy: ['name asc'],
      top: 5,
    });
    expect(result.value.map((a) => a.name)).toEqual(['Fabrikam']);
  });

  test('$count=true answers @odata.count (oDataCount)', async () => {
    const result = await api.retrieveMultiple<Row>({
      collection: 'contacts',
      select: ['contactid'],
      filter: 'statecode eq 0',
      count: true,
    });
    expect(result.oDataCount).toBe(result.value.length);
    expect(result.value.length).toBeGreaterThan(0);
  });

  test('count: GET /<set>/$count answers the number as plain text', async () => {
    const active = await api.count({ collection: 'contacts', filter: 'statecode eq 0' });
    const listed = await api.retrieveMultiple<Row>({
      collection: 'contacts',
      select: ['contactid'],
      filter: 'statecode eq 0',
    });
    expect(active).toBe(listed.value.length);
  });

  test('countAll pages through every matching row', async () => {
    const all = await api.countAll({ collection: 'accounts', select: ['accountid'] });
    const listed = await api.retrieveMultiple<Row>({ collection: 'accounts', select: ['accountid'] });
    expect(all).toBe(listed.value.length);
  });

  test('Prefer: odata.maxpagesize pages with @odata.nextLink; retrieveAll follows it to every row once', async () => {
    for (let i = 0; i < 5; i += 1) await newContact(`Paged${i}`, { jobtitle: 'dwa-paging' });
    const first = await api.retrieveMultiple<Row>({
      collection: 'contacts',
      select: ['lastname'],
      filter: "jobtitle eq 'dwa-paging'",
      maxPageSize: 2,
    });
    expect(first.value).toHaveLength(2);
    expect(first.oDataNextLink).toContain('$skiptoken=');
    const all = await api.retrieveAll<Row>({
      collection: 'contacts',
      select: ['lastname'],
      filter: "jobtitle eq 'dwa-paging'",
      maxPageSize: 2,
    });
    expect(all.value.map((c) => c.lastname).sort()).toEqual([
      'Paged0',
      'Paged1',
      'Paged2',
      'Paged3',
      'Paged4',
    ]);
  });

  test('In takes PropertyValues as a JSON array: an apostrophe stays as it is', async () => {
    await newContact('OBrien', { emailaddress1: "dwa.o'brien@x.example" });
    const result = await api.retrieveMultiple<Row>({
      collection: 'contacts',
      select: ['emailaddress1'],
      filter: `Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=${jsonArray([
        "dwa.o'brien@x.example",
        'nobody@x.example',
      ])})`,
    });
    expect(result.value.map((c) => c.emailaddress1)).toEqual(["dwa.o'brien@x.example"]);
  });

  test("In rejects the OData string form ['o''brien'] with 400 (Invalid JSON)", async () => {
    const error = await failure(
      api.retrieveMultiple({
        collection: 'contacts',
        filter:
          "Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=['dwa.o''brien@x.example'])",
      }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain("A comma character ',' was expected in scope 'Array'");
  });

  test('parameter aliases: $filter=name eq @p1&@p1=... and PropertyValues=@p2', async () => {
    const byName = await api.retrieveMultiple<Row>({
      collection: 'accounts',
      select: ['name'],
      filter: 'name eq @p1',
      queryParams: [`@p1=${encodeURIComponent("'Fabrikam'")}`],
    });
    expect(byName.value.map((a) => a.name)).toEqual(['Fabrikam']);
    const byList = await api.retrieveMultiple<Row>({
      collection: 'contacts',
      select: ['emailaddress1'],
      filter: "Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=@p2)",
      queryParams: [`@p2=${encodeURIComponent(jsonArray([DEMO.duplicateAddress]))}`],
    });
    expect(byList.value.map((c) => c.emailaddress1)).toEqual([DEMO.duplicateAddress]);
  });

  test('the any lambda operator filters on a collection-valued navigation property', async () => {
    const result = await api.retrieveMultiple<Row>({
      collection: 'accounts',
      select: ['name'],
      filter: `contact_customer_accounts/any(c:c/emailaddress1 eq '${DEMO.duplicateAddress}')`,
    });
    expect(result.value.map((a) => a.name)).toEqual(['Fabrikam']);
  });

  test('formatted values via includeAnnotations: option sets, booleans, dates and lookups', async () => {
    const id = (await api.create({
      collection: 'emails',
      data: { subject: 'Formatted', directioncode: true, senton: '2026-01-10T09:00:00Z' },
    })) as string;
    await api.update({ collection: 'emails', key: id, data: { statecode: 1, statuscode: 3 } });
    const row = await api.retrieve<Row>({
      collection: 'emails',
      key: id,
      select: ['directioncode', 'senton', 'statecode', 'statuscode', '_ownerid_value'],
      includeAnnotations: FORMATTED,
    });
    expect(row[`directioncode@${FORMATTED}`]).toBe('Outgoing');
    expect(row.directioncode_Formatted).toBe('Outgoing');
    expect(row[`senton@${FORMATTED}`]).toBe('1/10/2026 9:00 AM');
    expect(row[`statecode@${FORMATTED}`]).toBe('Completed');
    expect(row[`statuscode@${FORMATTED}`]).toBe('Sent');
    expect(row[`_ownerid_value@${FORMATTED}`]).toBe('Dana Park');
  });

  test('totalrecordcount annotations appear with $count and include-annotations', async () => {
    const result = await api.retrieveMultiple<Row>({
      collection: 'accounts',
      select: ['name'],
      count: true,
      includeAnnotations: '*',
    });
    const raw = result as unknown as Row;
    expect(raw['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(result.value.length);
    expect(raw['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded']).toBe(false);
  });
});

describe('functions', () => {
  test('callFunction WhoAmI answers UserId, BusinessUnitId and OrganizationId', async () => {
    const who = await api.callFunction<Row>('WhoAmI');
    expect(who).toMatchObject({
      UserId: DEMO.me,
      BusinessUnitId: DEMO.businessUnitId,
      OrganizationId: DEMO.organizationId,
    });
  });
});

describe('associations (Associate and disassociate table rows)', () => {
  test('associate/disassociate on a collection-valued navigation property ($ref)', async () => {
    const accountId = (await api.create({
      collection: 'accounts',
      data: { name: 'Dwa Association Ltd' },
    })) as string;
    const contactId = await newContact('Associated');
    await api.associate({
      collection: 'accounts',
      primaryKey: accountId,
      relationshipName: 'contact_customer_accounts',
      relatedCollection: 'contacts',
      relatedKey: contactId,
    });
    const contact = await api.retrieve<Row>({
      collection: 'contacts',
      key: contactId,
      select: ['_parentcustomerid_value'],
    });
    expect(contact._parentcustomerid_value).toBe(accountId);
    await api.disassociate({
      collection: 'accounts',
      primaryKey: accountId,
      relationshipName: 'contact_customer_accounts',
      relatedKey: contactId,
    });
    const after = await api.retrieve<Row>({
      collection: 'contacts',
      key: contactId,
      select: ['_parentcustomerid_value'],
    });
    expect(after._parentcustomerid_value).toBeNull();
  });

  test('associateSingleValued/disassociateSingleValued (PUT and DELETE .../nav/$ref)', async () => {
    const accountId = (await api.create({
      collection: 'accounts',
      data: { name: 'Dwa Single Ltd' },
    })) as string;
    const contactId = await newContact('Single');
    await api.associateSingleValued({
      collection: 'contacts',
      primaryKey: contactId,
      navigationProperty: 'parentcustomerid_account',
      relatedCollection: 'accounts',
      relatedKey: accountId,
    });
    const row = await api.retrieve<Row>({
      collection: 'contacts',
      key: contactId,
      select: ['_parentcustomerid_value'],
      includeAnnotations: '*',
    });
    expect(row._parentcustomerid_value).toBe(accountId);
    expect(row['_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('account');
    await api.disassociateSingleValued({
      collection: 'contacts',
      primaryKey: contactId,
      navigationProperty: 'parentcustomerid_account',
    });
    const after = await api.retrieve<Row>({
      collection: 'contacts',
      key: contactId,
      select: ['_parentcustomerid_value'],
    });
    expect(after._parentcustomerid_value).toBeNull();
  });
});

describe('table definitions (Query table definitions using the Web API)', () => {
  test('retrieveEntity by LogicalName key answers names, keys and ObjectTypeCode', async () => {
    const entity = await api.retrieveEntity<Row>({
      key: "LogicalName='contact'",
      select: [
        'LogicalName',
        'EntitySetName',
        'PrimaryIdAttribute',
        'PrimaryNameAttribute',
        'ObjectTypeCode',
      ],
    });
    expect(entity).toMatchObject({
      LogicalName: 'contact',
      EntitySetName: 'contacts',
      PrimaryIdAttribute: 'contactid',
      PrimaryNameAttribute: 'fullname',
      ObjectTypeCode: 2,
    });
  });

  test('an unknown table: 404 by key, an empty value in a $filter', async () => {
    const error = await failure(api.retrieveEntity({ key: "LogicalName='nope'" }));
    expect(error.status).toBe(404);
    const none = await api.retrieveEntities<Row>({
      select: ['LogicalName'],
      filter: "LogicalName eq 'nope'",
    });
    expect(none.value).toEqual([]);
  });

  test('retrieveEntities with $filter and $select maps a logical name to its entity set', async () => {
    const result = await api.retrieveEntities<Row>({
      select: ['EntitySetName', 'LogicalName'],
      filter: "LogicalName eq 'email'",
    });
    expect(result.value).toEqual([
      expect.objectContaining({ LogicalName: 'email', EntitySetName: 'emails' }),
    ]);
  });

  test('retrieveAttributes with the StringAttributeMetadata cast reports MaxLength', async () => {
    const result = await api.retrieveAttributes<Row>({
      entityKey: "LogicalName='email'",
      castType: 'Microsoft.Dynamics.CRM.StringAttributeMetadata',
      select: ['LogicalName', 'MaxLength'],
      filter: "LogicalName eq 'subject' or LogicalName eq 'messageid'",
    });
    const lengths = Object.fromEntries(result.value.map((a) => [a.LogicalName, a.MaxLength]));
    expect(lengths).toEqual({ subject: 800, messageid: 320 });
  });

  test('retrieveAttributes with the PicklistAttributeMetadata cast and $expand=OptionSet', async () => {
    const result = await api.retrieveAttributes<Row>({
      entityKey: "LogicalName='email'",
      castType: 'Microsoft.Dynamics.CRM.PicklistAttributeMetadata',
      select: ['LogicalName'],
      expand: [{ property: 'OptionSet' }],
    });
    const correlation = result.value.find((a) => a.LogicalName === 'correlationmethod') as
      | { OptionSet: { Options: { Value: number; Label: { UserLocalizedLabel: { Label: string } } }[] } }
      | undefined;
    expect(
      correlation?.OptionSet.Options.map((o) => [o.Value, o.Label.UserLocalizedLabel.Label]),
    ).toContainEqual([4, 'TrackingToken']);
  });

  test('useEntityNames: the library maps logical names through EntityDefinitions', async () => {
    const named = new DynamicsWebApi({
      serverUrl: emu.url.replace(/\/api\/data\/v9\.2$/, ''),
      dataApi: { version: '9.2' },
      onTokenRefresh: async () => 'token',
      useEntityNames: true,
    });
    const result = await named.retrieveMultiple<Row>({
      collection: 'account',
      select: ['name'],
      filter: "name eq 'Fabrikam'",
    });
    expect(result.value.map((a) => a.name)).toEqual(['Fabrikam']);
  });
});

describe('$batch (Execute batch operations using the Web API)', () => {
  test('a changeset with Content-ID references creates the contact and the email regarding it', async () => {
    api.startBatch();
    api.create({
      collection: 'contacts',
      data: { lastname: 'BatchContact', emailaddress1: 'dwa.batch@x.example' },
      contentId: '1',
    });
    api.create({
      collection: 'emails',
      contentId: '2',
      data: {
        subject: 'Batch email',
        'regardingobjectid_contact_email@odata.bind': '$1',
        email_activity_parties: [{ participationtypemask: 1, 'partyid_contact@odata.bind': '$1' }],
      },
    });
    const [contactId, emailId] = (await api.executeBatch()) as string[];
    const email = await api.retrieve<Row>({
      collection: 'emails',
      key: emailId as string,
      select: ['_regardingobjectid_value'],
      expand: [{ property: 'email_activity_parties', select: ['addressused', '_partyid_value'] }],
    });
    expect(email._regardingobjectid_value).toBe(contactId);
    expect(email.email_activity_parties).toEqual([
      expect.objectContaining({ _partyid_value: contactId, addressused: 'dwa.batch@x.example' }),
    ]);
  });

  test('without continue-on-error a failing changeset rejects the batch with its status and rolls back', async () => {
    api.startBatch();
    api.create({
      collection: 'contacts',
      data: { lastname: 'RolledBack', emailaddress1: 'dwa.rollback@x.example' },
      contentId: '1',
    });
    api.create({ collection: 'emails', data: { subject: 's', messageid: 'm'.repeat(321) } });
    let rejected: unknown;
    try {
      await api.executeBatch();
    } catch (error) {
      rejected = error;
    }
    expect(Array.isArray(rejected)).toBe(true);
    const errors = (rejected as unknown[]).filter((e) => e instanceof Error).map(partError);
    expect(errors).toEqual([{ status: 400, code: '0x80044331' }]);
    const left = await api.retrieveMultiple<Row>({
      collection: 'contacts',
      filter: "emailaddress1 eq 'dwa.rollback@x.example'",
    });
    expect(left.value).toEqual([]);
  });

  test('with continue-on-error the batch answers 200 and every part carries its own status', async () => {
    api.startBatch();
    api.retrieveMultiple({ collection: 'accounts', select: ['name'], filter: "name eq 'Fabrikam'" });
    api.retrieve({ collection: 'contacts', key: '00000000-0000-0000-0000-000000000001' });
    api.retrieveMultiple({ collection: 'accounts', select: ['name'], filter: "name eq 'Fabrikam'" });
    const results = (await api.executeBatch({ continueOnError: true })) as unknown[];
    expect(results).toHaveLength(3);
    expect((results[0] as { value: Row[] }).value.map((a) => a.name)).toEqual(['Fabrikam']);
    expect(results[1]).toBeInstanceOf(Error);
    expect(partError(results[1])).toEqual({ status: 404, code: '0x80040217' });
    expect((results[2] as { value: Row[] }).value).toHaveLength(1);
  });
});

describe('request shapes the add-in sends (src/crm/dataverseAdapter.ts), through the library', () => {
  test('the lookup batch: In over addresses per table, messageid In with the parties expanded', async () => {
    const addresses = [DEMO.duplicateAddress, DEMO.meEmail, "pat.o'brien@litware.com"];
    const isIn = (property: string) =>
      `Microsoft.Dynamics.CRM.In(PropertyName='${property}',PropertyValues=${jsonArray(addresses)})`;
    api.startBatch();
    for (const [collection, key, name, emails] of [
      ['contacts', 'contactid', 'fullname', ['emailaddress1', 'emailaddress2', 'emailaddress3']],
      ['leads', 'leadid', 'fullname', ['emailaddress1', 'emailaddress2', 'emailaddress3']],
      ['accounts', 'accountid', 'name', ['emailaddress1', 'emailaddress2', 'emailaddress3']],
      ['systemusers', 'systemuserid', 'fullname', ['internalemailaddress']],
      ['queues', 'queueid', 'name', ['emailaddress']],
    ] as const) {
      api.retrieveMultiple({
        collection,
        select: [key, name, ...emails, 'createdon'],
        filter: `${collection === 'systemusers' ? 'isdisabled eq false' : 'statecode eq 0'} and (${emails.map(isIn).join(' or ')})`,
        includeAnnotations: '*',
      });
    }
    api.retrieveMultiple({
      collection: 'emails',
      select: ['activityid', 'messageid', 'subject', '_regardingobjectid_value', 'statecode'],
      filter: `Microsoft.Dynamics.CRM.In(PropertyName='messageid',PropertyValues=${jsonArray(['<none@x.example>'])})`,
      expand: [{ property: 'email_activity_parties', select: ['addressused', 'participationtypemask'] }],
      includeAnnotations: '*',
    });
    const results = (await api.executeBatch()) as { value: Row[] }[];
    expect(results.map((r) => r.value.length)).toEqual([2, 1, 0, 1, 0, 0]);
  });

  test('the track changeset: create a record, the email with parties by bind and $n, then PATCH to received', async () => {
    api.startBatch();
    api.create({
      collection: 'contacts',
      data: { firstname: 'New', lastname: 'Sender', emailaddress1: 'dwa.new.sender@x.example' },
      contentId: '1',
    });
    api.create({
      collection: 'emails',
      contentId: '2',
      data: {
        subject: 'Tracked through the library',
        messageid: '<dwa-track-1@x.example>',
        directioncode: false,
        senton: '2026-01-10T09:00:00Z',
        email_activity_parties: [
          {
            participationtypemask: 1,
            addressused: 'dwa.new.sender@x.example',
            'partyid_contact@odata.bind': '$1',
          },
          {
            participationtypemask: 2,
            addressused: DEMO.meEmail,
            'partyid_systemuser@odata.bind': `/systemusers(${DEMO.me})`,
          },
          { participationtypemask: 3, addressused: 'unknown@x.example' },
        ],
        'regardingobjectid_contact_email@odata.bind': '$1',
      },
    });
    api.update({ collection: '$2', data: { statecode: 1, statuscode: 4 } });
    const [contactId, emailId] = (await api.executeBatch()) as string[];
    const email = await api.retrieve<Row>({
      collection: 'emails',
      key: emailId as string,
      select: ['statecode', 'statuscode', '_regardingobjectid_value', 'directioncode'],
      expand: [
        {
          property: 'email_activity_parties',
          select: ['participationtypemask', 'addressused', '_partyid_value'],
        },
      ],
      includeAnnotations: FORMATTED,
    });
    expect(email).toMatchObject({
      statecode: 1,
      statuscode: 4,
      _regardingobjectid_value: contactId,
      directioncode: false,
    });
    expect(email[`statuscode@${FORMATTED}`]).toBe('Received');
    const parties = (email.email_activity_parties as Row[]).map((p) => [
      p.participationtypemask,
      p._partyid_value,
    ]);
    expect(parties.sort()).toEqual([
      [1, contactId],
      [2, DEMO.me],
      [3, null],
    ]);
  });

  test('the PATCH to sent (statecode 1, statuscode 3) and a regarding set by @odata.bind', async () => {
    const contactId = await newContact('Regarding');
    const emailId = (await api.create({
      collection: 'emails',
      data: { subject: 'Outgoing', directioncode: true },
    })) as string;
    await api.update({
      collection: 'emails',
      key: emailId,
      data: {
        statecode: 1,
        statuscode: 3,
        'regardingobjectid_contact_email@odata.bind': `/contacts(${contactId})`,
      },
    });
    const row = await api.retrieve<Row>({
      collection: 'emails',
      key: emailId,
      select: ['statuscode', '_regardingobjectid_value'],
    });
    expect(row).toMatchObject({ statuscode: 3, _regardingobjectid_value: contactId });
    const invalid = await failure(
      api.update({ collection: 'emails', key: emailId, data: { statecode: 1, statuscode: 1 } }),
    );
    expect(invalid.status).toBe(400);
  });

  test('the settings reads: organization, user settings and mailbox by EqualUserId, tic_ environment variables', async () => {
    api.startBatch();
    api.callFunction('WhoAmI');
    api.retrieveMultiple({
      collection: 'organizations',
      select: ['trackingprefix', 'orgdborgsettings'],
      top: 1,
    });
    api.retrieveMultiple({
      collection: 'usersettingscollection',
      select: ['incomingemailfilteringmethod'],
      filter: "Microsoft.Dynamics.CRM.EqualUserId(PropertyName='systemuserid')",
    });
    api.retrieveMultiple({
      collection: 'mailboxes',
      select: ['emailrouteraccessapproval'],
      filter: "Microsoft.Dynamics.CRM.EqualUserId(PropertyName='regardingobjectid')",
      top: 1,
    });
    api.retrieveMultiple({
      collection: 'environmentvariabledefinitions',
      select: ['schemaname', 'defaultvalue'],
      filter: "startswith(schemaname,'tic_')",
    });
    const [who, org, settings, mailbox, variables] = (await api.executeBatch({
      continueOnError: true,
    })) as Row[];
    expect((who as Row).UserId).toBe(DEMO.me);
    expect(((org as { value: Row[] }).value[0] as Row).trackingprefix).toBe('CRM:');
    expect((settings as { value: Row[] }).value).toHaveLength(1);
    expect((mailbox as { value: Row[] }).value).toHaveLength(1);
    expect(Array.isArray((variables as { value: Row[] }).value)).toBe(true);
  });

  test('the table discovery: EntityDefinitions filtered by IsActivityParty with String Attributes expanded', async () => {
    const result = await api.retrieveEntities<Row>({
      select: ['LogicalName', 'EntitySetName', 'PrimaryIdAttribute', 'PrimaryNameAttribute'],
      filter: 'IsActivityParty eq true',
      expand: [
        {
          property: 'Attributes',
          select: ['LogicalName'],
          filter: "AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'String'",
        },
      ],
    });
    const contact = result.value.find((e) => e.LogicalName === 'contact') as
      { Attributes: Row[] } | undefined;
    expect(result.value.map((e) => e.LogicalName).sort()).toEqual([
      'account',
      'contact',
      'lead',
      'new_partner',
      'queue',
      'systemuser',
    ]);
    expect(contact?.Attributes.map((a) => a.LogicalName)).toContain('emailaddress1');
    expect(contact?.Attributes.map((a) => a.LogicalName)).not.toContain('statecode');
  });
});

describe('more request shapes the add-in sends, through the library', () => {
  test('clearing the regarding: every regardingobjectid_<type>_email@odata.bind set to null in one PATCH', async () => {
    const contactId = await newContact('Unregarded');
    const emailId = (await api.create({
      collection: 'emails',
      data: { subject: 'Regarded', 'regardingobjectid_contact_email@odata.bind': `/contacts(${contactId})` },
    })) as string;
    await api.update({
      collection: 'emails',
      key: emailId,
      data: Object.fromEntries(
        ['contact', 'account', 'lead', 'opportunity', 'incident'].map((t) => [
          `regardingobjectid_${t}_email@odata.bind`,
          null,
        ]),
      ),
    });
    const row = await api.retrieve<Row>({
      collection: 'emails',
      key: emailId,
      select: ['_regardingobjectid_value'],
    });
    expect(row._regardingobjectid_value).toBeNull();
  });

  test('saving personal options: PATCH usersettingscollection(<user>) with the changed columns', async () => {
    const before = await api.retrieve<Row>({
      collection: 'usersettingscollection',
      key: DEMO.me,
      select: ['incomingemailfilteringmethod', 'synccontactcompany'],
      includeAnnotations: FORMATTED,
    });
    const next = before.incomingemailfilteringmethod === 2 ? 3 : 2;
    await api.update({
      collection: 'usersettingscollection',
      key: DEMO.me,
      data: { incomingemailfilteringmethod: next },
    });
    const after = await api.retrieve<Row>({
      collection: 'usersettingscollection',
      key: DEMO.me,
      select: ['incomingemailfilteringmethod', 'synccontactcompany'],
      includeAnnotations: FORMATTED,
    });
    expect(after.incomingemailfilteringmethod).toBe(next);
    expect(after.synccontactcompany).toBe(before.synccontactcompany);
    expect(after[`incomingemailfilteringmethod@${FORMATTED}`]).toBe(
      next === 2
        ? 'Email messages from Dynamics 365 Leads, Contacts and Accounts'
        : 'Email messages from Dynamics 365 records that are email enabled',
    );
    await api.update({
      collection: 'usersettingscollection',
      key: DEMO.me,
      data: { incomingemailfilteringmethod: before.incomingemailfilteringmethod },
    });
  });

  test('untrack: DELETE emails(<id>) removes the email and its parties', async () => {
    const emailId = (await api.create({
      collection: 'emails',
      data: {
        subject: 'Untracked',
        email_activity_parties: [{ participationtypemask: 1, addressused: 'dwa.untrack@x.example' }],
      },
    })) as string;
    await api.deleteRecord({ collection: 'emails', key: emailId });
    const parties = await api.retrieveMultiple<Row>({
      collection: 'activityparties',
      filter: "addressused eq 'dwa.untrack@x.example'",
    });
    expect(parties.value).toEqual([]);
  });
});
