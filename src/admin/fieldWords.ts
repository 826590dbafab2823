/**
 * The synchronized fields in words, as the pane's Options › Synchronization table names them: the CRM
 * field's plain label (the `admin` namespace's `field.<entity>.<attribute>`, the sync catalog's labels
 * in three languages), the Outlook field as the pane spells Graph's property, the record type and the
 * direction in the `sync` namespace's words. A field no label names (a mapping another tool added) keeps
 * its logical name rather than show a key.
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
  // The catalog's fields have a label (a test holds the namespace to it); asking for any other would
  // log a missing text.
  const known = SYNC_FIELDS[mapping.entity].some((f) => f.crm === mapping.crmAttribute);
  return known
    ? t(`admin.field.${mapping.entity}.${mapping.crmAttribute}` as AdminKey)
    : mapping.crmAttribute;
}

/** Graph's camelCase property in words ("givenName" → "Given name"), as the pane's table writes it. */
export function outlookFieldLabel(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const entityLabel = (t: AdminTranslate, entity: SyncEntity): string =>
  t(`sync.entity.${entity}` as AdminKey);

export const directionLabel = (t: AdminTranslate, direction: MappingDirection): string =>
  t(`sync.direction.${direction}` as AdminKey);
