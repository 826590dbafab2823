/**
 * "Create contact" / "Create lead" for the selected read item, and the review form they open. A
 * lazy part with the form: the offer's rules and the form's checks are not in the pane's first
 * JavaScript (its budget), and the buttons appear once the part has loaded, as the search does.
 */
import { useState } from 'react';
import { Button, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import {
  NOT_OFFERED,
  recordFormOffer,
  type RecordFormOffer,
  type RecordFormOfferInput,
  type RecordFormType,
} from '../../app/recordForm';
import type { PaneActions } from '../actions';
import { recordUrl } from '../controller/format';
import type { ReadItemView } from '../controller/types';
import { usePaneStrings } from '../strings';
import { CreateRecordForm } from './CreateRecordForm';

export interface CreateRecordPartProps {
  readonly item: ReadItemView;
  /** The controller: what the offer is decided on, Create, and the account search. */
  readonly actions: PaneActions;
  /** The CRM's address, for the link to the record created. */
  readonly crmUrl: string;
  readonly disabled: boolean;
}

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  reason: { margin: 0 },
});

/**
 * The offer as the pane shows it. AutoCreateContactOnPromote is checked first, so its reason would
 * stand for every item: it is said only where the form would otherwise be offered.
 */
export function shownOffer(input: RecordFormOfferInput | null): RecordFormOffer {
  if (!input) return { offered: false, reason: NOT_OFFERED.notChecked };
  const offer = recordFormOffer(input);
  if (offer.offered || offer.reason !== NOT_OFFERED.orgOff) return offer;
  const orgDb = { ...input.settings.orgDb, AutoCreateContactOnPromote: true };
  const withSwitchOn = recordFormOffer({ ...input, settings: { ...input.settings, orgDb } });
  return withSwitchOn.offered ? offer : withSwitchOn;
}

export function CreateRecordPart({ item, actions, crmUrl, disabled }: CreateRecordPartProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  // The form stays open after the record is made (its confirmation holds the link), although the
  // item, checked again, no longer offers it; it belongs to the item it was opened on.
  const [form, setForm] = useState<{ type: RecordFormType; itemId: string } | null>(null);
  const itemId = item.itemId;
  const input = actions.recordFormInput(item);
  const sender = input?.sender ?? null;
  if (form && form.itemId === itemId && sender)
    return (
      <CreateRecordForm
        key={`${form.itemId}:${form.type}`}
        type={form.type}
        sender={sender}
        disabled={disabled}
        create={(record) => actions.createFromForm(record)}
        searchAccounts={(text) => actions.searchAccounts(text)}
        recordUrl={(ref) => recordUrl(crmUrl, ref)}
        close={() => setForm(null)}
      />
    );
  const offer = shownOffer(input);
  if (offer.offered)
    return (
      <div className={styles.row}>
        <Button onClick={() => setForm({ type: 'contact', itemId })} disabled={disabled}>
          {t('item.createContact')}
        </Button>
        <Button onClick={() => setForm({ type: 'lead', itemId })} disabled={disabled}>
          {t('item.createLead')}
        </Button>
      </div>
    );
  if (offer.reason === NOT_OFFERED.orgOff)
    return (
      <Caption1 as="p" block className={styles.reason} data-testid="create-record-off">
        {offer.reason}
      </Caption1>
    );
  return null;
}
