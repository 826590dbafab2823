/**
 * What Dataverse fills in on a folder-level tracking rule (Mailbox Auto Tracking Folder): the regarding
 * table's name in `regardingobjecttypecode`, which follows the regarding lookup whatever the payload
 * says, and `folderonboardingstatus` 0 on a create that leaves it out (the column is SystemRequired,
 * yet Microsoft's own create sample in "Configure Exchange folder-level tracking rules" never sets it).
 */
import type { Row } from './db';

export function completeTrackingFolder(row: Row, current: Row | undefined): void {
  if ('_regardingobjectid_value' in row) {
    row.regardingobjecttypecode =
      row._regardingobjectid_value == null ? null : ((row._regardingobjectid_type as string | null) ?? null);
  } else if ('regardingobjecttypecode' in row) {
    // The type code alone cannot move the lookup to another table: the stored one stays.
    row.regardingobjecttypecode = (current?.regardingobjecttypecode as string | null | undefined) ?? null;
  }
  if (current === undefined && row.folderonboardingstatus == null) row.folderonboardingstatus = 0;
}
