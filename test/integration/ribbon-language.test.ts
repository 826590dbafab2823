/**
 * The ribbon command and the event handlers speak the user's display language
 * (Office.context.displayLanguage): commands.html's one bundle on the Outlook simulator, against the CRM
 * emulator, as in outlook-flows.test.ts, with Outlook set to German or French.
 */
import type { Emulator } from '../../emulator/server';
import { DEMO } from '../../emulator/seed';
import { RoamingStore } from '../../src/mailbox/roamingStore';
import {
  createOfficeSimulator,
  loadDemoMailbox,
  type DemoItemKey,
  type OfficeSimulator,
} from '../../simulator';
import { startDemoEmulator } from '../support/demoEmulator';

jest.setTimeout(60_000);

let emu: Emulator;
let sim: OfficeSimulator;
let ids: Record<DemoItemKey, string>;
let uninstall: () => void;

async function start(displayLanguage: string): Promise<void> {
  emu = await startDemoEmulator('ribbon-language');
  sim = createOfficeSimulator({
    user: { emailAddress: DEMO.meEmail, displayName: 'Dana Park' },
    addinOrigin: 'https://localhost:3000',
    displayLanguage,
  });
  uninstall = sim.install(globalThis);
  (globalThis as unknown as { window: unknown }).window = {
    location: { href: 'https://localhost:3000/commands.html' },
  };
  ids = loadDemoMailbox(sim.mailbox);
  const roaming = new RoamingStore(sim.Office.context.roamingSettings as unknown as Office.RoamingSettings);
  const orgUrl = emu.url.replace(/\/api\/data\/v9\.2\/?$/, '');
  await roaming.update((s) => ({ ...s, crmUrl: orgUrl }));
  jest.isolateModules(() => {
    require('../../src/commands/commands');
  });
}

afterEach(async () => {
  await new Promise((resolve) => setImmediate(resolve));
  uninstall?.();
  delete (globalThis as unknown as { window?: unknown }).window;
  await emu?.close();
});

const notices = (itemId: string) => sim.mailbox.notificationsOf(itemId).map((n) => n.message);

test('a German ribbon track says its outcome in German', async () => {
  await start('de-DE');
  await sim.mailbox.select(ids.onboarding);
  expect((await sim.runFunctionCommand('trackInCrm')).status).toBe('completed');
  expect(notices(ids.onboarding).at(-1)).toBe('Im CRM nachverfolgt.');
});

test('a German ribbon track pressed again says in German that it is already tracked', async () => {
  await start('de-DE');
  await sim.mailbox.select(ids.onboarding);
  await sim.runFunctionCommand('trackInCrm');
  await sim.runFunctionCommand('trackInCrm');
  expect(notices(ids.onboarding).at(-1)).toBe('Bereits im CRM nachverfolgt.');
});

test('a French ribbon track says its outcome in French', async () => {
  await start('fr-FR');
  await sim.mailbox.select(ids.onboarding);
  await sim.runFunctionCommand('trackInCrm');
  expect(notices(ids.onboarding).at(-1)).toBe('Suivi dans le CRM.');
});

test('a display language the add-in does not speak (ja-JP) gets English', async () => {
  await start('ja-JP');
  await sim.mailbox.select(ids.onboarding);
  await sim.runFunctionCommand('trackInCrm');
  expect(notices(ids.onboarding).at(-1)).toBe('Tracked in the CRM.');
});

test('in German, a reply to tracked email opened for compose is said to be tracked when sent, in German', async () => {
  await start('de-DE');
  const draft = await sim.mailbox.openCompose('reply', ids.pricing);
  expect((await sim.fireLaunchEvent('OnNewMessageCompose', draft.id)).status).toBe('completed');
  expect(notices(draft.id).at(-1)).toBe(
    'Diese E-Mail wird beim Senden im CRM nachverfolgt. Öffnen Sie „In CRM nachverfolgen“, um dies zu ändern.',
  );
});
