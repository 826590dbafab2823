/** Shared helpers for the simulator's tests. */
import { createOfficeSimulator, type OfficeSimulator, type OfficeSimulatorOptions } from '../../simulator';
import type { NewMessageInput } from '../../simulator';

export const SUCCEEDED = 'succeeded' as unknown as Office.AsyncResultStatus;
export const FAILED = 'failed' as unknown as Office.AsyncResultStatus;

/** Call an Office.js async method and resolve with the AsyncResult it delivers. */
export function call<T>(
  invoke: (callback: (result: Office.AsyncResult<T>) => void) => void,
): Promise<Office.AsyncResult<T>> {
  return new Promise((resolve) => invoke(resolve));
}

/** Like `call`, but resolve with the value and reject on Failed (with the Office error). */
export async function value<T>(
  invoke: (callback: (result: Office.AsyncResult<T>) => void) => void,
): Promise<T> {
  const result = await call(invoke);
  if (result.status !== SUCCEEDED)
    throw Object.assign(new Error(result.error.message), { office: result.error });
  return result.value;
}

export const ANN = { emailAddress: 'ann@fabrikam.com', displayName: 'Ann Lee' };
export const BOB = { emailAddress: 'bob@fabrikam.com', displayName: 'Bob Kim' };
export const DANA = { emailAddress: 'dana@contoso.com', displayName: 'Dana Park' };

export function simulator(options: OfficeSimulatorOptions = {}): OfficeSimulator {
  return createOfficeSimulator({ seed: 7, ...options });
}

export function incoming(overrides: Partial<NewMessageInput> = {}): NewMessageInput {
  return {
    subject: 'Hello',
    from: ANN,
    to: [DANA],
    date: new Date('2026-11-02T09:00:00Z'),
    bodyText: 'Hi Dana',
    ...overrides,
  };
}

/** A simulator with one incoming item selected; returns the read item the add-in sees. */
export async function withSelectedItem(
  options: OfficeSimulatorOptions = {},
  input: Partial<NewMessageInput> = {},
) {
  const sim = simulator(options);
  const item = sim.mailbox.deliver(incoming(input));
  await sim.mailbox.select(item.id);
  const office = sim.Office;
  const read = office.context.mailbox.item as Office.MessageRead;
  return { sim, office, item, read };
}
