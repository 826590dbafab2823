/**
 * What every endpoint of the emulated Web API shares: the request and response shapes, Dataverse's
 * error JSON and codes, and the annotation names.
 */
import type { Row } from './db';
import type { EntityDef } from './metadata';
import { BAD_QUERY, ODataError } from './odata/filter';

export const SERVICE_PATH = '/api/data/v9.2';

export interface EmuRequest {
  readonly method: string;
  /** Path relative to the service root plus query, e.g. `contacts?$top=1`, or an absolute URL/path. */
  readonly url: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface EmuResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface DispatchContext {
  /** `http://host:port/api/data/v9.2` */
  readonly baseUrl: string;
  /** systemuserid of the caller. */
  readonly caller: string;
  /** Content-ID → `/entityset(id)` within one changeset. */
  readonly contentIds?: Map<string, string>;
}

export const NOT_FOUND = '0x80040217';
export const VERSION_MISMATCH = '0x80060882';
export const INVALID_ARGUMENT = '0x80040203';
export const PAYLOAD_ERROR = '0x80048d19';
/** "A validation error occurred. The length of the '…' attribute … exceeded the maximum allowed length". */
export const LENGTH_EXCEEDED = '0x80044331';
export const DUPLICATE_KEY = '0x80040237';
export { BAD_QUERY, ODataError };

export const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
export const LOOKUP_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';
export const ASSOCIATED_NAV = 'Microsoft.Dynamics.CRM.associatednavigationproperty';
export const TOTAL_COUNT = 'Microsoft.Dynamics.CRM.totalrecordcount';
export const TOTAL_COUNT_EXCEEDED = 'Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded';

export const JSON_HEADERS = {
  'Content-Type': 'application/json; odata.metadata=minimal',
  'OData-Version': '4.0',
};

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function errorResponse(
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
) {
  return {
    status,
    headers: { ...JSON_HEADERS, ...extra },
    body: JSON.stringify({ error: { code, message } }),
  } satisfies EmuResponse;
}

export function json(status: number, value: unknown, extra: Record<string, string> = {}): EmuResponse {
  return { status, headers: { ...JSON_HEADERS, ...extra }, body: JSON.stringify(value) };
}

export function noContent(extra: Record<string, string> = {}): EmuResponse {
  return { status: 204, headers: { 'OData-Version': '4.0', ...extra } };
}

export function notFound(entity: EntityDef, id: string): ODataError {
  return new ODataError(404, NOT_FOUND, `${entity.logicalName} With Id = ${id} Does Not Exist`);
}

export function segmentNotFound(segment: string): ODataError {
  return new ODataError(404, BAD_QUERY, `Resource not found for the segment '${segment}'.`);
}

export function methodNotAllowed(message: string): ODataError {
  return new ODataError(405, BAD_QUERY, message);
}

export function etagOf(row: Row): string {
  return `W/"${String(row.versionnumber ?? 0)}"`;
}
