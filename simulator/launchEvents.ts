/**
 * `Office.actions.associate` and the two ways Outlook calls an associated function:
 * - launch events (OnNewMessageCompose [1.10], OnMessageSend [1.12]) with an event whose
 *   `completed(options?)` ends the handler; Outlook waits up to about 300 s (configurable here);
 * - function commands (ribbon ExecuteFunction) with `event.source.id` and `completed()`.
 *
 * OnMessageSend follows the manifest's SendMode (Smart Alerts):
 * - completed() / completed({ allowEvent: true }) → the message is sent;
 * - completed({ allowEvent: false, errorMessage }) → not sent; the Smart Alerts dialog shows
 *   errorMessage (≤ 500 characters; default "<add-in> is preventing this email from being sent.");
 *   "Send Anyway" is offered only in PromptUser mode or with `sendModeOverride: 'promptUser'`;
 * - not completed in time, or no handler associated (the add-in is unavailable): SoftBlock and
 *   PromptUser let the user send anyway, Block does not.
 * After 5 s the real client shows "taking longer than expected": reported as `slow`.
 */
import { argumentTypeError } from './errors';
import { LIMITS } from './itemFeatures';

export type LaunchEventType = 'OnNewMessageCompose' | 'OnMessageSend';
export type SendMode = 'PromptUser' | 'SoftBlock' | 'Block';

/** FunctionName per LaunchEvent Type, as in manifest.xml. */
export const DEFAULT_LAUNCH_EVENT_FUNCTIONS: Readonly<Record<LaunchEventType, string>> = {
  OnNewMessageCompose: 'onNewMessageComposeHandler',
  OnMessageSend: 'onMessageSendHandler',
};

export interface LaunchEventOutcome {
  readonly type: LaunchEventType;
  /** The associated function name, or null when none was associated. */
  readonly functionName: string | null;
  /** `completed`: the handler called event.completed in time. */
  readonly status: 'completed' | 'timedOut' | 'noHandler';
  /** The options given to event.completed (undefined when called without, or not called). */
  readonly options: Office.SmartAlertsEventCompletedOptions | undefined;
  /** OnMessageSend: the message goes out without the user's intervention. */
  readonly allowEvent: boolean;
  /** OnMessageSend: the text of the Smart Alerts dialog shown to the user, or null. */
  readonly dialogMessage: string | null;
  /** OnMessageSend: the dialog offers "Send Anyway". */
  readonly userCanSendAnyway: boolean;
  /** More than 5 s elapsed ("taking longer than expected"). */
  readonly slow: boolean;
  readonly elapsedMs: number;
  /** Misuse noticed (completed twice, a thrown handler, an over-long message…). */
  readonly problems: readonly string[];
}

export interface CommandOutcome {
  readonly functionName: string;
  readonly status: 'completed' | 'timedOut' | 'noHandler';
  readonly elapsedMs: number;
  readonly problems: readonly string[];
}

type Handler = (event: unknown) => unknown;

export class ActionRegistry {
  private readonly functions = new Map<string, Handler>();

  associate(name: string, fn: unknown): void {
    if (typeof name !== 'string' || name === '') throw argumentTypeError('actionId', typeof name, 'string');
    if (typeof fn !== 'function') throw argumentTypeError('actionFunction', typeof fn, 'function');
    this.functions.set(name, fn as Handler);
  }

  get(name: string): Handler | undefined {
    return this.functions.get(name);
  }

  names(): string[] {
    return [...this.functions.keys()];
  }
}

interface Completion {
  readonly completed: boolean;
  readonly options: unknown;
  readonly elapsedMs: number;
  readonly problems: string[];
}

/** Call `fn` with an event object and wait for `completed` or the timeout. */
export function runWithCompletion(
  fn: Handler,
  makeEvent: (completed: (options?: unknown) => void) => object,
  timeoutMs: number,
): Promise<Completion> {
  const started = Date.now();
  const problems: string[] = [];
  return new Promise((resolve) => {
    let done = false;
    const finish = (completed: boolean, options: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ completed, options, elapsedMs: Date.now() - started, problems });
    };
    const timer = setTimeout(() => {
      problems.push(`event.completed was not called within ${timeoutMs} ms`);
      finish(false, undefined);
    }, timeoutMs);
    let calls = 0;
    const completed = (options?: unknown) => {
      calls++;
      if (calls > 1) problems.push('event.completed was called more than once');
      if (done) {
        if (calls === 1) problems.push('event.completed was called after Outlook stopped waiting');
        return;
      }
      finish(true, options);
    };
    // Outlook calls the handler on its own task, not inside fireLaunchEvent's caller.
    setTimeout(() => {
      try {
        const result = fn(makeEvent(completed));
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          (result as Promise<unknown>).then(undefined, (error: unknown) => {
            problems.push(`the handler's promise rejected: ${String(error)}`);
          });
        }
      } catch (error) {
        problems.push(`the handler threw: ${String(error)}`);
      }
    }, 0);
  });
}

export interface LaunchEventSettings {
  readonly functions: Readonly<Record<LaunchEventType, string>>;
  readonly sendMode: SendMode;
  readonly timeoutMs: number;
  readonly slowMs: number;
  readonly addinName: string;
}

export async function fireLaunchEvent(
  registry: ActionRegistry,
  settings: LaunchEventSettings,
  type: LaunchEventType,
): Promise<LaunchEventOutcome> {
  const functionName = settings.functions[type];
  const fn = registry.get(functionName);
  const isSend = type === 'OnMessageSend';
  const unavailable = (
    status: 'timedOut' | 'noHandler',
    elapsedMs: number,
    problems: string[],
  ): LaunchEventOutcome => ({
    type,
    functionName: fn ? functionName : null,
    status,
    options: undefined,
    allowEvent: isSend ? status === 'noHandler' && settings.sendMode !== 'Block' : true,
    dialogMessage:
      isSend && status === 'timedOut'
        ? `${settings.addinName} couldn't complete its check of this message.`
        : isSend && settings.sendMode === 'Block'
          ? `${settings.addinName} is unavailable. This message can't be sent.`
          : null,
    userCanSendAnyway: isSend && status === 'timedOut' && settings.sendMode !== 'Block',
    slow: elapsedMs > settings.slowMs,
    elapsedMs,
    problems,
  });
  if (!fn) return unavailable('noHandler', 0, [`no function is associated with ${functionName}`]);

  const result = await runWithCompletion(fn, (completed) => ({ completed }), settings.timeoutMs);
  if (!result.completed) return unavailable('timedOut', result.elapsedMs, result.problems);

  const options = (result.options ?? undefined) as Office.SmartAlertsEventCompletedOptions | undefined;
  const problems = [...result.problems];
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    problems.push('event.completed was given a non-object');
  }
  if (options?.allowEvent !== undefined && typeof options.allowEvent !== 'boolean') {
    problems.push('allowEvent must be a boolean');
  }
  if (isSend && options?.allowEvent === undefined) {
    problems.push(
      'OnMessageSend completed without allowEvent: the send proceeds, but say allowEvent: true explicitly',
    );
  }
  if (
    typeof options?.errorMessage === 'string' &&
    options.errorMessage.length > LIMITS.smartAlertsErrorMessageLength
  ) {
    problems.push(
      `errorMessage is ${options.errorMessage.length} characters; Outlook allows ${LIMITS.smartAlertsErrorMessageLength}`,
    );
  }
  if (!isSend && options?.allowEvent === false)
    problems.push('allowEvent: false has no effect on OnNewMessageCompose');
  const blocked = isSend && options?.allowEvent === false;
  return {
    type,
    functionName,
    status: 'completed',
    options,
    allowEvent: !blocked,
    dialogMessage: blocked
      ? (options?.errorMessage ?? `${settings.addinName} is preventing this email from being sent.`)
      : null,
    userCanSendAnyway:
      blocked && (settings.sendMode === 'PromptUser' || options?.sendModeOverride === 'promptUser'),
    slow: result.elapsedMs > settings.slowMs,
    elapsedMs: result.elapsedMs,
    problems,
  };
}

export async function runFunctionCommand(
  registry: ActionRegistry,
  name: string,
  controlId: string,
  timeoutMs: number,
): Promise<CommandOutcome> {
  const fn = registry.get(name);
  if (!fn)
    return {
      functionName: name,
      status: 'noHandler',
      elapsedMs: 0,
      problems: [`no function is associated with ${name}`],
    };
  const result = await runWithCompletion(
    fn,
    (completed) => ({ source: { id: controlId }, completed }),
    timeoutMs,
  );
  return {
    functionName: name,
    status: result.completed ? 'completed' : 'timedOut',
    elapsedMs: result.elapsedMs,
    problems: result.problems,
  };
}
