/**
 * Walk 13, item 4: the admin page is reached from the pane, by those the CRM lets administer the
 * add-in (prvWriteOrganization), as a dialog where Office has the Dialog API and a tab otherwise.
 */
import { WORKBENCH } from '../../../emulator/seed';
import { openOutlookSession } from '../../../src/host/outlookSession';
import { parseHeaderBlock } from '../../../src/mail/headers';
import { openAdminPage } from '../../../src/mailbox/adminPage';
import { adminPageUrl } from '../../../src/taskpane/controller/adminLink';
import { useRig } from './harness';

const holder = useRig();

describe('who sees the link: the CRM decides', () => {
  test('Dana (System Administrator) may administer', async () => {
    const pane = holder.current.make();
    await pane.start();
    await expect(pane.adminAccess()).resolves.toBe(true);
  });

  test('Sam (Salesperson) may not', async () => {
    const rig = holder.current;
    const asSam: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('MSCRMCallerID', WORKBENCH.sam);
      return rig.traffic.fetch(input, { ...init, headers });
    };
    const pane = rig.make({
      openHost: (office) =>
        openOutlookSession(office, { signIn: null, parseHeaders: parseHeaderBlock, fetch: asSam }),
    });
    await pane.start();
    await expect(pane.adminAccess()).resolves.toBe(false);
    // The CRM's answer, not a failed question (which also shows no link).
    expect(rig.log.mock.calls.map(([message]) => message)).not.toContain(
      'Could not ask the CRM whether you may administer Track in CRM',
    );
  });

  test('the question is one request: the session already knows who the user is (no second WhoAmI)', async () => {
    const rig = holder.current;
    const asked: string[] = [];
    const recording: typeof fetch = (input, init) => {
      asked.push(String(input instanceof Request ? input.url : input));
      return rig.traffic.fetch(input, init);
    };
    const pane = rig.make({
      openHost: (office) =>
        openOutlookSession(office, { signIn: null, parseHeaders: parseHeaderBlock, fetch: recording }),
    });
    await pane.start();
    const before = asked.length;
    await expect(pane.adminAccess()).resolves.toBe(true);
    const question = asked.slice(before);
    expect(question).toHaveLength(1);
    expect(question[0]).toContain('RetrieveUserPrivilegeByPrivilegeName');
  });

  test('a question the CRM failed to answer is asked again, not remembered as "no"', async () => {
    const rig = holder.current;
    let failing = false;
    const flaky: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (failing && url.includes('RetrieveUserPrivilegeByPrivilegeName')) {
        return Promise.resolve(
          new Response('{"error":{"code":"0x0","message":"bad request"}}', { status: 400 }),
        );
      }
      return rig.traffic.fetch(input, init);
    };
    const pane = rig.make({
      openHost: (office) =>
        openOutlookSession(office, { signIn: null, parseHeaders: parseHeaderBlock, fetch: flaky }),
    });
    await pane.start();
    failing = true;
    await expect(pane.adminAccess()).resolves.toBe(false);
    failing = false;
    await expect(pane.adminAccess()).resolves.toBe(true);
  });
});

describe('the admin page’s address', () => {
  test('admin.html beside the pane, for the CRM in use, nothing of the pane’s own query kept', () => {
    const url = new URL(
      adminPageUrl('https://localhost:3000/taskpane.html?lang=de-DE#x', 'https://org.crm.dynamics.com'),
    );
    expect(url.origin + url.pathname).toBe('https://localhost:3000/admin.html');
    expect([...url.searchParams]).toEqual([['crm', 'https://org.crm.dynamics.com']]);
    expect(url.hash).toBe('');
  });
});

describe('opening it', () => {
  type Callback = (result: { status: string }) => void;
  const officeWith = (supported: boolean, status: 'succeeded' | 'failed', opened: string[]) =>
    ({
      AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
      context: {
        requirements: { isSetSupported: (name: string) => supported && name === 'DialogApi' },
        ui: {
          displayDialogAsync: (url: string, _options: object, callback: Callback) => {
            opened.push(`dialog ${url}`);
            callback({ status });
          },
        },
      },
    }) as unknown as typeof Office;

  test.each([
    ['the Dialog API is there: a dialog', true, 'succeeded', 'dialog', ['dialog P']],
    ['no Dialog API: a browser tab', false, 'succeeded', 'window', ['window P']],
    [
      'the dialog is refused (another one open): a browser tab',
      true,
      'failed',
      'window',
      ['dialog P', 'window P'],
    ],
  ] as const)('%s', async (_name, supported, status, expected, calls) => {
    const opened: string[] = [];
    const how = await openAdminPage(officeWith(supported, status, opened), 'P', (url) =>
      opened.push(`window ${url}`),
    );
    expect(how).toBe(expected);
    expect(opened).toEqual(calls);
  });
});
