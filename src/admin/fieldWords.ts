/**
 * The synchronized fields in words, as the pane's Options › Synchronization table names them: the
 * `sync` namespace's label of the CRM field and of the Outlook field, the record type and the direction.
 * A field outside the sync catalog (a mapping another tool added) keeps its logical name: it has no key.
 */
import type { SyncMappingRow } from '../crm/adminPort';
import type { Translate } from '../i18n/messages';
import { SYNC_FIELDS } from '../rules/syncFieldCatalog';
import type { MappingDirection, SyncEntity } from '../rules/syncTypes';
import type { AdminKey } from './strings';

type AdminTranslate = Translate<AdminKey>;

export function crmFieldLabel(
  t: AdminTranslate,
  mapping: Pick<SyncMappingRow, 'entity' | 'crmAttribute'>,
): string {
  const known = SYNC_FIELDS[mapping.entity].some((f) => f.crm === mapping.crmAttribute);
  return known ? t(`sync.field.${mapping.entity}.${mapping.crmAttribute}` as AdminKey) : mapping.crmAttribute;
}

export function outlookFieldLabel(
  t: AdminTranslate,
  mapping: Pick<SyncMappingRow, 'entity' | 'exchangeProperty'>,
): string {
  const known = SYNC_FIELDS[mapping.entity].some((f) => f.outlook === mapping.exchangeProperty);
  return known
    ? t(`sync.outlookField.${mapping.entity}.${mapping.exchangeProperty}` as AdminKey)
    : mapping.exchangeProperty;
}

export const entityLabel = (t: AdminTranslate, entity: SyncEntity): string =>
  t(`sync.entity.${entity}` as AdminKey);

export const directionLabel = (t: AdminTranslate, direction: MappingDirection): string =>
  t(`sync.direction.${direction}` as AdminKey);
