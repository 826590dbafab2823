/**
 * Office.js error shapes, as the real runtime produces them.
 *
 * Two kinds:
 * - **AsyncResult errors** `{ name, message, code }` delivered to the callback with status Failed. Names,
 *   codes and messages of the 9000-range are Outlook's own table (`addErrorMessage(9023,
 *   "DuplicateNotificationKey", …)` in Outlook's office.js runtime, outlook-web-16), the others come from
 *   "Office Common API error codes" (office-js-docs-pr, docs/reference/javascript-api-for-office-error-codes.md).
 * - **Thrown argument errors**: Outlook validates arguments in the page *before* calling the host and
 *   throws synchronously (`Sys.ArgumentOutOfRangeException`, `Sys.ArgumentException`, …), with the
 *   message format of Outlook's `createArgumentOutOfRange` etc. A notification key of 33 characters, a
 *   message of 151 characters or custom properties over 2,500 characters therefore THROW from the call;
 *   no callback is invoked.
 *
 * Where Outlook's error for a condition is not published, the simulator picks one and says so in
 * `SIMULATOR_CHOSEN` below (match such errors on `status === Failed`, not on the exact name).
 */

export interface OfficeErrorShape {
  readonly name: string;
  readonly message: string;
  readonly code: number;
}

function e(code: number, name: string, message: string): OfficeErrorShape {
  return Object.freeze({ code, name, message });
}

/** Outlook's error table (subset the simulator produces). */
export const OutlookErrors = {
  InvalidCoercionType: e(1000, 'Invalid Coercion Type', 'The specified coercion type is not supported'),
  EventRegistrationError: e(
    5003,
    'Event Registration Error',
    'The specified event type is not supported by the current object.',
  ),
  InvalidAttachmentId: e(9003, 'InvalidAttachmentId', 'The attachment identifier does not exist.'),
  InvalidSelection: e(9016, 'InvalidSelection', 'The selection is invalid.'),
  GenericResponseError: e(9020, 'GenericResponseError', 'An internal error has occurred.'),
  SaveError: e(9021, 'SaveError', 'Connection error occurred while trying to save the item on the server.'),
  DuplicateNotificationKey: e(
    9023,
    'DuplicateNotificationKey',
    'A notification with the provided key already exists.',
  ),
  NotificationKeyNotFound: e(
    9024,
    'NotificationKeyNotFound',
    'There are no notifications with the provided key.',
  ),
  /**
   * The reference docs call this `NumberOfNotificationMessagesExceeded`; the runtime's table registers
   * code 9025 as `NumberOfNotificationsExceeded`, which is what `error.name` carries. Match on the code.
   */
  NumberOfNotificationsExceeded: e(
    9025,
    'NumberOfNotificationsExceeded',
    "The notification couldn't be added because the notification limit has been reached.",
  ),
  CannotPersistPropertyInUnsavedDraftError: e(
    9028,
    'CannotPersistPropertyInUnsavedDraftError',
    "Notifications can't be persisted in unsaved drafts. Save the item before you call this API.",
  ),
  APICallFailedDueToItemChange: e(
    9030,
    'APICallFailedDueToItemChange',
    'The selected item has been changed.',
  ),
  InvalidParameterValueError: (parameter: string) =>
    e(9031, 'InvalidParameterValueError', `The value of the '${parameter}' parameter is invalid.`),
  InvalidCategory: e(9044, 'InvalidCategory', 'Invalid categories were provided.'),
  DuplicateCategory: e(
    9045,
    'DuplicateCategory',
    'One of the categories provided is already in the master category list.',
  ),
  ItemNotSaved: e(9046, 'ItemNotSaved', "The id can't be retrieved until the item is saved."),
  /** Roaming settings over 32 KB (docs error table, and `RoamingSettings.set` in @types/office-js). */
  RoamingSettingsSizeLimitExceeded: e(
    9057,
    'Size Limit Exceeded',
    'A maximum of 32KB is available for the settings of each add-in.',
  ),
  /** SIMULATOR CHOICE (unpublished): session data over 50,000 characters. */
  SessionDataSizeLimitExceeded: e(
    9057,
    'Size Limit Exceeded',
    'The session data of an add-in is limited to 50,000 characters per item.',
  ),
  /** SIMULATOR CHOICE (unpublished): custom internet headers over 256 KB on one message. */
  InternetHeadersSizeLimitExceeded: e(
    9057,
    'Size Limit Exceeded',
    'The internet headers of a message are limited to 256 KB.',
  ),
} as const;

/** Conditions where the simulator chose the error (documented in the simulator's README section). */
export const SIMULATOR_CHOSEN = [
  'sessionData over 50,000 characters → 9057 Size Limit Exceeded',
  'internetHeaders over 256 KB in all → 9057 Size Limit Exceeded',
  'sessionData.getAsync of a missing name → 9031 InvalidParameterValueError',
] as const;

/** Dialog API errors (docs error table: no name or message is published, only the code). */
export const DialogErrors = {
  DomainNotTrusted: e(
    12004,
    'Display Dialog Error',
    'The domain of the URL is not included in the AppDomains element in the manifest, and is not subdomain of source location.',
  ),
  HttpsRequired: e(12005, 'Display Dialog Error', 'The URL uses the HTTP protocol. HTTPS is required.'),
  AlreadyOpened: e(12007, 'Display Dialog Error', 'A dialog is already opened from this host window.'),
} as const;

/** Codes delivered to a DialogEventReceived handler (`{ error: code }`). */
export const DialogEventCodes = {
  PageNotFound: 12002,
  HttpNotAllowed: 12003,
  ClosedByUser: 12006,
} as const;

/** An Error thrown synchronously by Office.js argument validation (MicrosoftAjax `Sys.*` errors). */
export interface SysError extends Error {
  readonly paramName?: string;
  readonly actualValue?: unknown;
}

function sysError(name: string, message: string, extra: Record<string, unknown>): SysError {
  const err = new Error(message) as SysError & Record<string, unknown>;
  Object.defineProperty(err, 'name', { value: name, enumerable: true, configurable: true, writable: true });
  for (const [key, value] of Object.entries(extra)) err[key] = value;
  return err;
}

function withParam(message: string, paramName?: string): string {
  return paramName ? `${message}\nParameter name: ${paramName}` : message;
}

export function argumentError(paramName?: string, message?: string): SysError {
  return sysError(
    'Sys.ArgumentException',
    withParam(
      `Sys.ArgumentException: ${message ?? 'Value does not fall within the expected range.'}`,
      paramName,
    ),
    { paramName },
  );
}

export function argumentNullError(paramName?: string, message?: string): SysError {
  return sysError(
    'Sys.ArgumentNullException',
    withParam(`Sys.ArgumentNullException: ${message ?? 'Value cannot be null.'}`, paramName),
    { paramName },
  );
}

export function argumentOutOfRangeError(
  paramName?: string,
  actualValue?: unknown,
  message?: string,
): SysError {
  let text = withParam(
    `Sys.ArgumentOutOfRangeException: ${message ?? 'Specified argument was out of the range of valid values.'}`,
    paramName,
  );
  if (actualValue !== undefined && actualValue !== null) text += `\nActual value was ${String(actualValue)}.`;
  return sysError('Sys.ArgumentOutOfRangeException', text, { paramName, actualValue });
}

export function argumentTypeError(paramName?: string, actualType?: string, expectedType?: string): SysError {
  const detail =
    actualType && expectedType
      ? `Object of type '${actualType}' cannot be converted to type '${expectedType}'.`
      : 'Object cannot be converted to the required type.';
  return sysError('Sys.ArgumentTypeException', withParam(`Sys.ArgumentTypeException: ${detail}`, paramName), {
    paramName,
    actualType,
    expectedType,
  });
}

export function parameterCountError(): SysError {
  return sysError(
    'Sys.ParameterCountException',
    'Sys.ParameterCountException: The given parameters do not match the expected format.',
    {},
  );
}

/** Thrown when the manifest's permission is below what an API needs (Outlook's `checkPermissionsAndThrow`). */
export function permissionError(namespace: string): Error {
  return new Error(`Elevated permission is required to call the method: '${namespace}'.`);
}

/** Outlook's `validateStringParam`: null, undefined or '' → ArgumentNull; not a string → ArgumentType. */
export function validateStringParam(paramName: string, value: unknown): asserts value is string {
  if (value === null || value === undefined || value === '') throw argumentNullError(paramName);
  if (typeof value !== 'string') throw argumentTypeError(paramName, typeof value, 'string');
}

/** Misuse of the simulator's own control API (not an Office error). */
export class SimulatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorError';
  }
}
