/**
 * End to end in headless Chromium, the pane's own flows (issue 10 §1): the compose card's Track in
 * CRM / Cancel tracking / Track again on a new email, and the pane's Track with the CRM down at
 * start (no session, nothing saved), queued and delivered when the CRM is back. The workbench, the
 * real pane and the event handlers on the Outlook simulator, against a started CRM emulator.
 */
import type { Frame, Page } from 'playwright-core';
import { openItem, paneFrame, paneStatus, screenshot, waitForNotification } from './support/harness';
import { useWorkbenchSuite } from './support/suite';

jest.setTimeout(120_000);

const suite = useWorkbenchSuite();

/** The draft's mark as Outlook holds it (the header the send-time track reads). */
const draftHeader = (page: Page, draftId: string): Promise<string | null> =>
  page.evaluate(
    (id) => window.__TIC_SIM__?.mailbox.getItem(id).internetHeaders['X-Track-In-CRM'] ?? null,
    draftId,
  );

/** The draft's subject as Outlook holds it. */
const draftSubject = (page: Page, draftId: string): Promise<string> =>
  page.evaluate((id) => window.__TIC_SIM__?.mailbox.getItem(id).subject ?? '', draftId);

const paneButton = (pane: Frame, name: string) => pane.getByRole('button', { name, exact: true });

test('compose card: Track in CRM marks a new email, the card says so; Cancel tracking unmarks it; Track again marks it again', async () => {
  const wb = await suite.open();
  const { page } = wb;
  const pane = await paneFrame(page);
  await page.getByRole('button', { name: 'New email', exact: true }).click();
  const form = page.locator('form.compose');
  await form.waitFor();
  const draftId = (await form.getAttribute('data-item-id')) as string;
  expect(await paneStatus(pane, null, ['compose-not-marked'])).toBe('compose-not-marked');

  await paneButton(pane, 'Track in CRM').click();
  expect(await paneStatus(pane, null, ['compose-marked'])).toBe('compose-marked');
  expect(await pane.textContent('[data-testid="pane"]')).toMatch(/Will be tracked in the CRM when sent\./);
  expect(await draftHeader(page, draftId)).not.toBeNull();
  expect(await draftSubject(page, draftId)).toMatch(/CRM:\d+$/);
  await waitForNotification(page, /^Will be tracked in the CRM when sent\.$/);
  // The card's Cancel is disabled while the pane re-reads the draft it just marked: shown once usable.
  // The card's button changes from Track in CRM to Cancel tracking in place: its colours take a
  // 100 ms transition, so the screenshot waits for it (and for the button to be usable) to finish.
  const cancel = pane.locator('button:has-text("Cancel tracking"):enabled');
  await cancel.waitFor();
  await page.mouse.move(0, 0); // the pointer left on the button would show its hover colours
  await cancel.evaluate((button) => Promise.all(button.getAnimations().map((a) => a.finished)));
  await screenshot(page, '40-compose-card-marked');

  await paneButton(pane, 'Cancel tracking').click();
  expect(await paneStatus(pane, null, ['compose-not-marked'])).toBe('compose-not-marked');
  expect(await draftHeader(page, draftId)).toBeNull();
  // The token the mark put in the subject goes too: replies must not correlate to a withdrawn track.
  expect(await draftSubject(page, draftId)).not.toMatch(/CRM:\d+/);
  // The notification that promised a track is replaced: it never contradicts the card.
  await waitForNotification(page, /will not be tracked when it is sent/);
  await page.waitForFunction(
    () =>
      ![...document.querySelectorAll('[data-testid="notification"] span')].some((el) =>
        /Will be tracked/.test(el.textContent ?? ''),
      ),
  );
  await screenshot(page, '41-compose-card-cancelled');

  await paneButton(pane, 'Track again').click();
  expect(await paneStatus(pane, null, ['compose-marked'])).toBe('compose-marked');
  expect(await draftHeader(page, draftId)).not.toBeNull();
  expect(wb.errors).toEqual([]);
});

test('pane Track with the CRM down at start (no session, nothing saved): queued, then delivered when the CRM is back', async () => {
  suite.h.emu.faults.add({ match: { pathContains: '$batch' }, status: 503, count: 100_000 });
  const wb = await suite.open({ paneOptions: { drainEveryMs: 1_000 } });
  const { page, ids } = wb;
  const pane = await paneFrame(page);
  await openItem(page, ids.demoForward!);
  expect(await paneStatus(pane, ids.demoForward!, ['unreachable'], 60_000)).toBe('unreachable');

  await paneButton(pane, 'Track').click();
  await pane.waitForFunction(
    () => /This email is queued\./.test(document.body.textContent ?? ''),
    undefined,
    { timeout: 20_000 },
  );
  await pane.waitForFunction(
    () => /1 email waits to be tracked/.test(document.body.textContent ?? ''),
    undefined,
    { timeout: 20_000 },
  );
  await waitForNotification(page, /could not be reached/i);
  expect(await pane.textContent('body')).not.toMatch(/Failed to fetch|TypeError|Something went wrong/);
  await screenshot(page, '42-pane-track-no-session-queued');

  suite.h.emu.faults.clear();
  expect(await paneStatus(pane, ids.demoForward!, ['tracked'], 60_000)).toBe('tracked');
  const messageId = await page.evaluate(
    (id) => window.__TIC_SIM__?.mailbox.getItem(id).internetMessageId ?? '',
    ids.demoForward!,
  );
  expect(suite.h.emu.db.prepare('SELECT * FROM email WHERE messageid = ?').all(messageId)).toHaveLength(1);
  await waitForNotification(page, /waiting track was delivered/);
  await screenshot(page, '43-pane-track-no-session-delivered');
});
