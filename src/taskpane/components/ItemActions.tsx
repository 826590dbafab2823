/**
 * The buttons for the selected item, by its state; progress once an action takes over 300 ms; the
 * create-contact/lead review form when the user asks for it.
 */
import { Suspense, useState } from 'react';
import { Button, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import type { PaneActions } from '../actions';
import type { BusyView, ItemView, SearchView } from '../controller/types';
import { LazyCreateRecordPart, LazyRegardingSearch, LazyUntrackDialog } from '../lazyParts';
import { usePaneStrings } from '../strings';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

export interface ItemActionsProps {
  readonly item: ItemView;
  readonly busy: BusyView | null;
  readonly search: SearchView;
  readonly actions: PaneActions;
  readonly onOpenConnection: () => void;
  /** The CRM's address, for the link to a record the form created. */
  readonly crmUrl: string;
}

/** The regarding search, by record type, with the recent records before typing (a lazy part). */
export function SearchPart({
  search,
  actions,
  busy,
}: {
  search: SearchView;
  actions: PaneActions;
  busy: boolean;
}) {
  const { t } = usePaneStrings();
  return (
    <Suspense fallback={<Spinner size="tiny" label={t('item.openingSearch')} />}>
      <LazyRegardingSearch
        search={search}
        actions={actions}
        busy={busy}
        filter={search.filter ?? 'all'}
        onFilterChange={(filter) => actions.setSearchFilter(filter)}
        more={search.more}
        recent={search.recent}
      />
    </Suspense>
  );
}

export function ItemActions({ item, busy, search, actions, onOpenConnection, crmUrl }: ItemActionsProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const [confirming, setConfirming] = useState(false);
  const disabled = busy !== null;
  const progress = busy?.slow ? <Spinner size="tiny" label={busy.label} /> : null;

  if (item.kind === 'unavailable') {
    return (
      <div className={styles.row}>
        {item.canTrack && (
          // No session, the CRM unreachable: Track still keeps the email and sends it when the CRM answers.
          <Button appearance="primary" onClick={() => actions.track()} disabled={disabled}>
            {t('item.track')}
          </Button>
        )}
        <Button
          appearance={item.canTrack ? 'secondary' : 'primary'}
          onClick={() => actions.retry()}
          disabled={disabled}
        >
          {t('common.retry')}
        </Button>
        <Button appearance="secondary" onClick={onOpenConnection}>
          {t('item.changeCrmAddress')}
        </Button>
        {progress}
      </div>
    );
  }
  if (item.kind === 'compose') {
    // The card's own search: the organization requires a regarding record before a draft is marked.
    const draftSearch = search.open && <SearchPart search={search} actions={actions} busy={disabled} />;
    if (!item.state.marked)
      return (
        <>
          <div className={styles.row}>
            <Button appearance="primary" onClick={() => actions.trackDraft()} disabled={disabled}>
              {t(item.state.optedOut ? 'item.trackAgain' : 'item.trackInCrm')}
            </Button>
            {progress}
          </div>
          {draftSearch}
        </>
      );
    return (
      <div className={styles.row}>
        <Button onClick={() => actions.cancelDraftTracking()} disabled={disabled}>
          {t('item.cancelTracking')}
        </Button>
        {progress}
      </div>
    );
  }
  if (item.kind !== 'read') return null;

  const status = item.state.status;
  const regardingLabel = t(item.state.regarding ? 'item.changeRegarding' : 'item.setRegarding');
  const toggleSearch = () => (search.open ? actions.closeSearch() : actions.openSearch());
  const regardingButton = (
    <Button
      appearance={status === 'needs-regarding' ? 'primary' : 'secondary'}
      onClick={toggleSearch}
      disabled={disabled}
      aria-expanded={search.open}
      aria-controls={search.open ? 'regarding-search' : undefined}
    >
      {regardingLabel}
    </Button>
  );
  return (
    <>
      <div className={styles.row}>
        {status === 'tracked' && (
          <>
            {regardingButton}
            <Button onClick={() => setConfirming(true)} disabled={disabled}>
              {t('item.untrack')}
            </Button>
          </>
        )}
        {status === 'not-tracked' && (
          <>
            <Button appearance="primary" onClick={() => actions.track()} disabled={disabled}>
              {t('item.track')}
            </Button>
            {regardingButton}
          </>
        )}
        {status === 'needs-regarding' && regardingButton}
        {(status === 'pending' || status === 'undeliverable' || status === 'failed') && (
          <Button appearance="primary" onClick={() => actions.retry()} disabled={disabled}>
            {t('common.retry')}
          </Button>
        )}
        {(status === 'pending' || status === 'undeliverable') && (
          <Button onClick={() => actions.discard()} disabled={disabled}>
            {t('item.discard')}
          </Button>
        )}
        {progress}
        {confirming && (
          <Suspense fallback={null}>
            <LazyUntrackDialog
              open={confirming}
              subject={item.subject}
              meeting={Boolean(item.state.appointment)}
              onConfirm={() => {
                setConfirming(false);
                actions.untrack();
              }}
              onCancel={() => setConfirming(false)}
            />
          </Suspense>
        )}
      </div>
      {/* Nothing while the part loads: it is preloaded once the first item is on screen. */}
      <Suspense fallback={null}>
        <LazyCreateRecordPart item={item} actions={actions} crmUrl={crmUrl} disabled={disabled} />
      </Suspense>
    </>
  );
}
