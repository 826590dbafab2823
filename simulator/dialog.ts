/**
 * `Office.context.ui.displayDialogAsync` and the Dialog object (DialogApi 1.1/1.2).
 *
 * Enforced (Office Common API error codes): the URL must be https (12005) and on the add-in's origin
 * (12004; AppDomains are not modelled), one dialog at a time per host window (12007). The dialog's
 * side is driven by the control API (`SimDialogs.current`): `messageParent` raises
 * DialogMessageReceived `{ type, message, origin }`, `closeByUser` raises DialogEventReceived
 * `{ type, error: 12006 }`. Events are delivered asynchronously.
 */
import { Dispatcher, fail, ok, parseCommonArgs } from './async';
import { argumentError, DialogErrors, DialogEventCodes } from './errors';
import { EventType } from './enums';

export interface OpenDialog {
  readonly url: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** Messages the add-in sent to the dialog with `dialog.messageChild`. */
  readonly childMessages: readonly string[];
  /** The dialog page calls `Office.context.ui.messageParent(message)`. */
  messageParent(message: string): void;
  /** The user closes the dialog with its X button (DialogEventReceived 12006). */
  closeByUser(): void;
  /** The dialog page failed to load (DialogEventReceived 12002). */
  failToLoad(): void;
}

export type DialogListener = (dialog: OpenDialog | null) => void;

export class SimDialogs {
  current: OpenDialog | null = null;
  /** Every dialog opened so far (closed ones included), newest last. */
  readonly history: { url: string; closedBy: 'addin' | 'user' | null }[] = [];
  private listeners = new Set<DialogListener>();

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly addinOrigin: string,
  ) {}

  onChange(listener: DialogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.current);
  }

  displayDialogAsync(startAddress: unknown, ...args: unknown[]): void {
    const common = parseCommonArgs<Office.Dialog>(args, false);
    if (typeof startAddress !== 'string' || startAddress === '') throw argumentError('startAddress');
    const options = { ...(common.options ?? {}) };
    this.dispatcher.complete(common, () => {
      let url: URL;
      try {
        url = new URL(startAddress);
      } catch {
        return fail(DialogErrors.DomainNotTrusted);
      }
      if (url.protocol !== 'https:') return fail(DialogErrors.HttpsRequired);
      if (url.origin !== this.addinOrigin) return fail(DialogErrors.DomainNotTrusted);
      if (this.current) return fail(DialogErrors.AlreadyOpened);
      return ok(this.open(startAddress, options));
    });
  }

  private open(url: string, options: Record<string, unknown>): Office.Dialog {
    const handlers = new Map<string, ((arg: unknown) => void)[]>();
    const childMessages: string[] = [];
    const entry: { url: string; closedBy: 'addin' | 'user' | null } = { url, closedBy: null };
    this.history.push(entry);
    let open = true;
    const raise = (type: string, arg: unknown) => {
      for (const handler of handlers.get(type) ?? []) this.dispatcher.later(() => handler(arg));
    };
    const shut = (by: 'addin' | 'user') => {
      if (!open) return;
      open = false;
      entry.closedBy = by;
      if (this.current === control) this.current = null;
      this.notify();
    };
    const control: OpenDialog = {
      url,
      options,
      childMessages,
      messageParent: (message: string) => {
        if (!open) return;
        raise(EventType.DialogMessageReceived, {
          type: EventType.DialogMessageReceived,
          message,
          origin: this.addinOrigin,
        });
      },
      closeByUser: () => {
        if (!open) return;
        raise(EventType.DialogEventReceived, {
          type: EventType.DialogEventReceived,
          error: DialogEventCodes.ClosedByUser,
        });
        shut('user');
      },
      failToLoad: () => {
        if (!open) return;
        raise(EventType.DialogEventReceived, {
          type: EventType.DialogEventReceived,
          error: DialogEventCodes.PageNotFound,
        });
      },
    };
    const dialog = {
      addEventHandler: (eventType: string, handler: (arg: unknown) => void) => {
        if (eventType !== EventType.DialogMessageReceived && eventType !== EventType.DialogEventReceived) {
          throw argumentError('eventType');
        }
        handlers.set(eventType, [...(handlers.get(eventType) ?? []), handler]);
      },
      close: () => shut('addin'),
      messageChild: (message: string) => {
        if (open) childMessages.push(message);
      },
      sendMessage: (message: string) => {
        if (open) childMessages.push(message);
      },
    };
    this.current = control;
    this.notify();
    return dialog as unknown as Office.Dialog;
  }
}
