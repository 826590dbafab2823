/** displayDialogAsync and the Dialog object. */
import { call, simulator } from './helpers';

describe('dialogs', () => {
  test('https on the add-in origin only; one at a time', async () => {
    const sim = simulator();
    const ui = sim.Office.context.ui;
    expect(
      (await call<Office.Dialog>((cb) => ui.displayDialogAsync('http://localhost:3000/d.html', cb))).error
        .code,
    ).toBe(12005);
    expect(
      (await call<Office.Dialog>((cb) => ui.displayDialogAsync('https://evil.example/d.html', cb))).error
        .code,
    ).toBe(12004);
    const first = await call<Office.Dialog>((cb) =>
      ui.displayDialogAsync('https://localhost:3000/regarding.html', { height: 60, width: 40 }, cb),
    );
    expect(first.status).toBe('succeeded');
    expect(sim.dialogs.current?.options).toMatchObject({ height: 60, width: 40 });
    expect(
      (await call<Office.Dialog>((cb) => ui.displayDialogAsync('https://localhost:3000/other.html', cb)))
        .error.code,
    ).toBe(12007);
    first.value.close();
    expect(sim.dialogs.current).toBeNull();
    expect(sim.dialogs.history[0]).toEqual({
      url: 'https://localhost:3000/regarding.html',
      closedBy: 'addin',
    });
  });

  test('messageParent raises DialogMessageReceived; the user closing raises DialogEventReceived 12006', async () => {
    const sim = simulator();
    const { value: dialog } = await call<Office.Dialog>((cb) =>
      sim.Office.context.ui.displayDialogAsync('https://localhost:3000/regarding.html', cb),
    );
    const messages: unknown[] = [];
    const events: unknown[] = [];
    dialog.addEventHandler(sim.Office.EventType.DialogMessageReceived, (arg) => messages.push(arg));
    dialog.addEventHandler(sim.Office.EventType.DialogEventReceived, (arg) => events.push(arg));
    dialog.messageChild('hello');
    expect(sim.dialogs.current?.childMessages).toEqual(['hello']);
    sim.dialogs.current?.messageParent('{"id":"account:1"}');
    expect(messages).toEqual([]);
    await sim.idle();
    expect(messages).toEqual([
      { type: 'dialogMessageReceived', message: '{"id":"account:1"}', origin: 'https://localhost:3000' },
    ]);
    sim.dialogs.current?.closeByUser();
    await sim.idle();
    expect(events).toEqual([{ type: 'dialogEventReceived', error: 12006 }]);
    expect(sim.dialogs.current).toBeNull();
  });
});
