/**
 * The synchronized fields of one record type and their directions, read-only, as the legacy client's
 * Field Mapping view showed them (seed: "Field Mapping"): CRM field, direction, Outlook field. The
 * organization's mappings when Dataverse defines them, Microsoft's defaults (syncFieldCatalog.ts)
 * otherwise; the contact's company follows its own rule (synchronization.md §2.4), shown last.
 */
import { useEffect, useState } from 'react';
import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { defaultMappings } from '../../rules/syncFieldCatalog';
import type { MappingDirection, SyncEntity, SyncMapping } from '../../rules/syncTypes';
import {
  directionSpoken,
  directionText,
  entityText,
  fieldLabel,
  outlookFieldText,
} from '../controller/syncWords';
import { usePaneStrings, type PaneKey } from '../strings';
import type { Translate } from '../../i18n/messages';
import { ChoiceOption } from './ChoiceOption';
import { useVisuallyHidden } from './visuallyHidden';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  scroller: { overflowX: 'auto', maxWidth: '100%' },
  table: {
    borderCollapse: 'collapse',
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase200,
    width: '100%',
  },
  cell: {
    textAlign: 'start',
    verticalAlign: 'top',
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    // `break-word`, not `anywhere`: the columns are then never narrower than their longest word, so
    // "Not synchronized" wraps between its words (a long field name still breaks rather than overflow).
    overflowWrap: 'break-word',
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

const ENTITIES: readonly SyncEntity[] = ['contact', 'appointment', 'task'];
const entityChoicesIn = (t: Translate<PaneKey>) =>
  ENTITIES.map((entity) => ({ value: entity, label: entityText(entity, t) }));

type Loaded = {
  readonly mappings: readonly SyncMapping[];
  readonly source: 'organization' | 'defaults' | 'unread';
};

export interface SyncFieldTableProps {
  /** The organization's mappings (null: none defined); absent where the pane does not synchronize. */
  readonly fieldMappings?: (entity: SyncEntity) => Promise<SyncMapping[] | null>;
  /** "Update the company field for Outlook contacts" as chosen (the draft). */
  readonly companySynced: boolean;
  readonly initialEntity?: SyncEntity;
}

function DirectionCell({ direction }: { readonly direction: MappingDirection }) {
  const styles = useStyles();
  const hidden = useVisuallyHidden();
  const { t } = usePaneStrings();
  return (
    <td className={styles.cell}>
      <span aria-hidden="true">{directionText(direction, t)}</span>
      <span className={hidden.hidden}>{directionSpoken(direction, t)}</span>
    </td>
  );
}

export function SyncFieldTable({
  fieldMappings,
  companySynced,
  initialEntity = 'contact',
}: SyncFieldTableProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const [entity, setEntity] = useState<SyncEntity>(initialEntity);
  const [loaded, setLoaded] = useState<Partial<Record<SyncEntity, Loaded>>>({});
  useEffect(() => {
    if (loaded[entity]) return undefined;
    let shown = true;
    const defaults = defaultMappings(entity);
    const done = (value: Loaded) => shown && setLoaded((all) => ({ ...all, [entity]: value }));
    if (!fieldMappings) done({ mappings: defaults, source: 'defaults' });
    else
      fieldMappings(entity).then(
        (mappings) =>
          done(mappings ? { mappings, source: 'organization' } : { mappings: defaults, source: 'defaults' }),
        () => done({ mappings: defaults, source: 'unread' }),
      );
    return () => {
      shown = false;
    };
  }, [entity, fieldMappings, loaded]);
  const current = loaded[entity] ?? { mappings: defaultMappings(entity), source: 'defaults' as const };
  return (
    <div className={styles.root} data-testid="sync-fields">
      <ChoiceOption
        label={t('sync.fieldsOf')}
        value={entity}
        choices={entityChoicesIn(t)}
        lockReason={null}
        disabled={false}
        onChange={(value) => setEntity(value as SyncEntity)}
      />
      <Caption1 className={styles.muted}>{t(`sync.source.${current.source}`)}</Caption1>
      {/* Scrolls sideways in a narrow pane: a region the keyboard can reach (axe scrollable-region-focusable). */}
      <div
        className={styles.scroller}
        role="region"
        aria-label={t('sync.fieldsRegion', { entity: entityText(entity, t) })}
        tabIndex={0}
      >
        <table className={styles.table} data-testid="sync-field-table" data-entity={entity}>
          <caption className={styles.muted} style={{ textAlign: 'start' }}>
            {t('sync.fieldsCaption', { entity: entityText(entity, t) })}
          </caption>
          <thead>
            <tr>
              <th scope="col" className={styles.cell}>
                {t('sync.crmField')}
              </th>
              <th scope="col" className={styles.cell}>
                {t('sync.direction')}
              </th>
              <th scope="col" className={styles.cell}>
                {t('sync.outlookField')}
              </th>
            </tr>
          </thead>
          <tbody>
            {current.mappings.map((mapping) => (
              <tr key={`${mapping.crm}:${mapping.outlook}`} data-crm={mapping.crm}>
                <th scope="row" className={styles.cell} style={{ fontWeight: 'normal' }}>
                  {fieldLabel(entity, mapping.crm, t)}
                </th>
                <DirectionCell direction={mapping.direction} />
                <td className={styles.cell}>{outlookFieldText(entity, mapping.outlook, t)}</td>
              </tr>
            ))}
            {entity === 'contact' && (
              <tr data-crm="parentcustomerid">
                <th scope="row" className={styles.cell} style={{ fontWeight: 'normal' }}>
                  {t('sync.companyParent')}
                </th>
                <DirectionCell direction={companySynced ? 'toOutlook' : 'none'} />
                <td className={styles.cell}>{t('sync.fieldCompany')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
