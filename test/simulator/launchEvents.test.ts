/** Launch events (OnNewMessageCompose, OnMessageSend) and function commands through Office.actions.associate. */
import { ANN, DANA, simulator, value } from './helpers';

async function composeWithRecipient(options = {}) {
  const sim = simulator({ launchEventTimeoutMs: 50, ...options });
  const draft = await sim.mailbox.openCompose('newMail');
  sim.mailbox.updateCompose(draft.id, { to: [ANN], subject: 'Hello' });
  return { sim, draft };
}

describe('launch events', () => {
  test('OnNewMessageCompose: the associated handler runs with the compose item current; completed() resolves', async () => {
    const { sim, draft } = await composeWithRecipient();
    await sim.mailbox.select(null);
    let subjectSeen = '';
    sim.Office.actions.associate('onNewMessageComposeHandler', (event: Office.MailboxEvent) => {
      const item = sim.Office.context.mailbox.item as Office.MessageCompose;
      item.subject.getAsync((r) => {
        subjectSeen = r.value;
        event.completed();
      });
    });
    const outcome = await sim.fireLaunchEvent('OnNewMessageCompose', draft.id);
    expect(outcome).toMatchObject({
      status: 'completed',
      functionName: 'onNewMessageComposeHandler',
      problems: [],
    });
    expect(subjectSeen).toBe('Hello');
    expect(sim.mailbox.selectedItemId).toBe(draft.id);
  });

  test('a handler that never calls completed times out and is reported as not completed', async () => {
    const { sim, draft } = await composeWithRecipient();
    sim.Office.actions.associate('onNewMessageComposeHandler', () => undefined);
    const outcome = await sim.fireLaunchEvent('OnNewMessageCompose', draft.id);
    expect(outcome.status).toBe('timedOut');
    expect(outcome.problems).toContain('event.completed was not called within 50 ms');
  });

  test('OnMessageSend completed({ allowEvent: true }) → sent; the handler is not called synchronously', async () => {
    const { sim, draft } = await composeWithRecipient();
    let called = false;
    sim.Office.actions.associate('onMessageSendHandler', (event: Office.MailboxEvent) => {
      called = true;
      event.completed({ allowEvent: true });
    });
    const sending = sim.trySend(draft.id);
    expect(called).toBe(false);
    const { event, sent } = await sending;
    expect(event).toMatchObject({ status: 'completed', allowEvent: true, dialogMessage: null, problems: [] });
    expect(sent?.folder).toBe('sentitems');
  });

  test('OnMessageSend completed({ allowEvent: false, errorMessage }) blocks the send and shows the message (SoftBlock: no Send Anyway)', async () => {
    const { sim, draft } = await composeWithRecipient();
    sim.Office.actions.associate('onMessageSendHandler', (event: Office.MailboxEvent) =>
      event.completed({ allowEvent: false, errorMessage: 'Pick a regarding record first.' }),
    );
    const { event, sent } = await sim.trySend(draft.id, { userSendsAnyway: true });
    expect(event).toMatchObject({
      status: 'completed',
      allowEvent: false,
      dialogMessage: 'Pick a regarding record first.',
      userCanSendAnyway: false,
    });
    expect(sent).toBeNull();
    expect(sim.mailbox.getItem(draft.id).mode).toBe('compose');
  });

  test('sendModeOverride promptUser offers Send Anyway', async () => {
    const { sim, draft } = await composeWithRecipient();
    sim.Office.actions.associate('onMessageSendHandler', (event: Office.MailboxEvent) =>
      event.completed({
        allowEvent: false,
        errorMessage: 'Sure?',
        sendModeOverride: 'promptUser',
      } as Office.SmartAlertsEventCompletedOptions),
    );
    const { event, sent } = await sim.trySend(draft.id, { userSendsAnyway: true });
    expect(event.userCanSendAnyway).toBe(true);
    expect(sent).not.toBeNull();
  });

  test('SoftBlock: a handler that times out lets the user send anyway; an unavailable add-in does not block', async () => {
    const { sim, draft } = await composeWithRecipient();
    sim.Office.actions.associate('onMessageSendHandler', () => new Promise(() => undefined));
    const timedOut = await sim.trySend(draft.id);
    expect(timedOut.event).toMatchObject({ status: 'timedOut', allowEvent: false, userCanSendAnyway: true });
    expect(timedOut.sent).toBeNull();

    const other = await composeWithRecipient();
    const unavailable = await other.sim.trySend(other.draft.id);
    expect(unavailable.event).toMatchObject({ status: 'noHandler', allowEvent: true });
    expect(unavailable.sent).not.toBeNull();

    const blockMode = await composeWithRecipient({ sendMode: 'Block' });
    const blocked = await blockMode.sim.trySend(blockMode.draft.id);
    expect(blocked.event.allowEvent).toBe(false);
    expect(blocked.sent).toBeNull();
  });

  test('misuse is reported: completed twice, no allowEvent on send, a message over 500 characters', async () => {
    const { sim, draft } = await composeWithRecipient();
    sim.Office.actions.associate('onMessageSendHandler', (event: Office.MailboxEvent) => {
      event.completed();
      event.completed();
    });
    const first = await sim.fireLaunchEvent('OnMessageSend', draft.id);
    expect(first.allowEvent).toBe(true);
    expect(first.problems.join('\n')).toMatch(/without allowEvent/);
    await sim.idle(); // the handler's second completed() is noticed by now
    expect(first.problems.join('\n')).toMatch(/more than once/);

    sim.Office.actions.associate('onMessageSendHandler', (event: Office.MailboxEvent) =>
      event.completed({ allowEvent: false, errorMessage: 'x'.repeat(501) }),
    );
    const second = await sim.fireLaunchEvent('OnMessageSend', draft.id);
    expect(second.problems.join('\n')).toMatch(/501 characters/);
  });

  test('a handler that throws before completing is reported and times out', async () => {
    const { sim, draft } = await composeWithRecipient();
    sim.Office.actions.associate('onMessageSendHandler', () => {
      throw new Error('boom');
    });
    const outcome = await sim.fireLaunchEvent('OnMessageSend', draft.id);
    expect(outcome.status).toBe('timedOut');
    expect(outcome.problems.join('\n')).toMatch(/the handler threw: Error: boom/);
  });

  test('launch events need a compose item and the requirement set', async () => {
    const sim = simulator({ maxMailboxVersion: '1.11' });
    const draft = await sim.mailbox.openCompose('newMail');
    await expect(sim.fireLaunchEvent('OnMessageSend', draft.id)).rejects.toThrow(/Mailbox 1.12/);
    const read = sim.mailbox.deliver({ subject: 's', from: ANN, to: [DANA] });
    await expect(sim.fireLaunchEvent('OnNewMessageCompose', read.id)).rejects.toThrow(/compose items/);
  });
});

describe('function commands', () => {
  test('the ribbon button calls the associated function with event.source.id and waits for completed()', async () => {
    const sim = simulator();
    const seen: string[] = [];
    sim.Office.actions.associate('trackInCrm', (event: Office.AddinCommands.Event) => {
      seen.push(event.source.id);
      setTimeout(() => event.completed(), 1);
    });
    expect(await sim.runFunctionCommand('trackInCrm')).toMatchObject({ status: 'completed', problems: [] });
    expect(seen).toEqual(['TrackInCrm.Button']);
    expect(await sim.runFunctionCommand('missing')).toMatchObject({ status: 'noHandler' });
  });

  test('associate validates its arguments', () => {
    const sim = simulator();
    expect(() => sim.Office.actions.associate('x', 'not a function' as unknown as () => void)).toThrow(
      /actionFunction/,
    );
  });
});

describe('roaming settings in an event handler', () => {
  test('the handler can read saved settings', async () => {
    const { sim, draft } = await composeWithRecipient();
    sim.Office.context.roamingSettings.set('trackOnSend', true);
    await value<void>((cb) => sim.Office.context.roamingSettings.saveAsync(cb));
    sim.Office.actions.associate('onMessageSendHandler', (event: Office.MailboxEvent) =>
      event.completed({ allowEvent: sim.Office.context.roamingSettings.get('trackOnSend') === true }),
    );
    expect((await sim.trySend(draft.id)).sent).not.toBeNull();
  });
});
