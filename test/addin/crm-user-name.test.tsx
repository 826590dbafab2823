/**
 * The Connection tab names the CRM user: the user's full name with the id as a smaller detail, the id
 * alone when no name could be read; online, and on an offline start from the saved snapshot.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { DEMO } from '../../emulator/seed';
import type { PaneActions } from '../../src/taskpane/actions';
import { ConnectionSection } from '../../src/taskpane/components/ConnectionSection';
import type { ConnectionView, SessionView } from '../../src/taskpane/controller/types';
import { settledOn, until, useRig, waitFor, type Rig } from '../unit/taskpane/harness';

jest.setTimeout(60_000);

const actions = new Proxy({}, { get: () => () => undefined }) as PaneActions;
const CONNECTION: ConnectionView = {
  crmUrl: 'https://contoso.crm.dynamics.com',
  local: false,
  signIn: 'Signed in with your work account',
  mailbox: 'dana@contoso.com',
  saving: false,
  error: null,
};
const USER_ID = '5f1c8a2e-0000-4000-8000-000000000001';

const ready = (userName?: string | null): SessionView => ({
  phase: 'ready',
  userId: USER_ID,
  ...(userName === undefined ? {} : { userName }),
  mailboxApproved: true,
  verboseErrors: false,
  offline: null,
});

/** The "CRM user" entry of the tab: its <dd> as rendered. */
function crmUser(session: SessionView): string {
  const html = renderToStaticMarkup(
    <FluentProvider theme={webLightTheme}>
      <ConnectionSection connection={CONNECTION} session={session} actions={actions} />
    </FluentProvider>,
  );
  const entry = /<dt[^>]*>CRM user<\/dt><dd[^>]*>(.*?)<\/dd>/.exec(html);
  if (!entry) throw new Error(`No CRM user entry in ${html}`);
  return entry[1]!;
}
const text = (html: string) => html.replace(/<[^>]*>/g, '|').replace(/\|+/g, '|');

describe('the CRM user entry', () => {
  test.each([
    ['a name: the name, then the id apart', 'Dana Whit', `Dana Whit|${USER_ID}|`],
    ['no name read (null): the id alone', null, USER_ID],
    ['an empty name: the id alone', '', USER_ID],
    ['a session from before names were read: the id alone', undefined, USER_ID],
  ])('%s', (_name, userName, shown) => {
    expect(text(crmUser(ready(userName)))).toBe(shown);
  });

  test('the id is the smaller detail: a caption after the name', () => {
    const html = crmUser(ready('Dana Whit'));
    expect(html).toMatch(new RegExp(`^Dana Whit<span class="[^"]*fui-Caption1[^"]*">${USER_ID}</span>$`));
  });

  test('a name with markup is shown as text, never as markup', () => {
    const html = crmUser(ready('<img src=x onerror=alert(1)>Dana'));
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;Dana');
  });
});

describe('the pane names the user from the session', () => {
  const holder = useRig();
  let rig: Rig;
  beforeEach(() => {
    rig = holder.current;
  });

  test('online, then on an offline start from the snapshot: the same name, the same id', async () => {
    const fullname = rig.emu.db.get('systemuser', DEMO.me)?.fullname as string;
    expect(fullname).toMatch(/^Dana /);
    await rig.sim.mailbox.select(rig.ids.kickoffNotes);
    const first = rig.make();
    await first.start();
    await until(first, settledOn(rig.ids.kickoffNotes));
    expect(first.getState().session).toMatchObject({ phase: 'ready', userId: DEMO.me, userName: fullname });
    await waitFor(() => rig.roaming.read().snapshot !== undefined, 'the settings snapshot to be saved');
    first.dispose();

    rig.emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 1000 });
    const pane = rig.make();
    await pane.start();
    expect(pane.getState().session).toMatchObject({
      phase: 'ready',
      offline: expect.any(Object),
      userId: DEMO.me,
      userName: fullname,
    });
  });
});
