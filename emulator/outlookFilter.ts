/**
 * A user's Outlook filter as Dataverse holds it: a `userquery` of querytype 256 (OutlookFilters) that
 * the user owns, active, whose FetchXML selects the active records of one type. What the
 * synchronization suites and benches write to put records in the user's scope.
 */
import type { EmulatorDb } from './db';
import { DEMO } from './seed';

export const OUTLOOK_FILTER = 256;

export interface OutlookFilterRow {
  readonly userqueryid: string;
  readonly name: string;
  readonly entity: 'contact' | 'appointment' | 'task';
  /** FetchXML `<condition>` elements, ANDed with statecode eq 0. */
  readonly conditions: string;
  /** The one attribute the FetchXML names (the sync adapter asks its own columns). */
  readonly attribute?: string;
  readonly ownerId?: string;
}

export function insertOutlookFilter(db: EmulatorDb, filter: OutlookFilterRow): void {
  const { entity, conditions, attribute = 'subject' } = filter;
  db.insert('userquery', {
    userqueryid: filter.userqueryid,
    name: filter.name,
    returnedtypecode: entity,
    querytype: OUTLOOK_FILTER,
    fetchxml: `<fetch version="1.0" mapping="logical"><entity name="${entity}"><attribute name="${attribute}"/><filter type="and">${conditions}<condition attribute="statecode" operator="eq" value="0"/></filter></entity></fetch>`,
    statecode: 0,
    statuscode: 1,
    _ownerid_value: filter.ownerId ?? DEMO.me,
    _ownerid_type: 'systemuser',
  });
}
