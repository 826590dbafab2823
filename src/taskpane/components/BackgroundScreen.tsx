/**
 * The Background check tab (issue 11): the background check's status and Check now, this session's
 * actions with their decisions, and the tracked folders. Loaded as a chunk of its own with its
 * controller part; asking for that part (and the folder rules) again when the session changes.
 */
import { useEffect, useState } from 'react';
import { Body1, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import type { BackgroundTabActions, PaneActions } from '../actions';
import type { ReasonWords } from '../controller/backgroundWords';
import type { BackgroundTabView, SearchView, SessionView } from '../controller/types';
import { usePaneStrings } from '../strings';
import { BackgroundActionList } from './BackgroundActionList';
import type { DecisionParts } from './DecisionDetails';
import { BackgroundStatusPanel } from './BackgroundStatusPanel';
import { FolderTrackingEditor } from './FolderTrackingEditor';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
});

export interface BackgroundScreenProps {
  /** Absent until the tab's controller part has loaded. */
  readonly background: BackgroundTabView | undefined;
  readonly session: SessionView;
  readonly search: SearchView;
  readonly crmUrl: string;
  readonly actions: PaneActions;
  /**
   * The item card's words for a decision's reason (itemState.ts `reasonMessage`): handed in, as this
   * screen is a chunk and importing a module of the pane's first JavaScript would keep it apart there.
   */
  readonly reasonWords: ReasonWords;
  /** The item card's parts (regarding line, people in the CRM) a decision is shown with, handed in likewise. */
  readonly decisionParts: DecisionParts;
}

/** Changes whenever the rules must be read again: another session, user or connection state. */
const sessionKey = (session: SessionView): string =>
  session.phase === 'ready'
    ? `ready:${session.userId}:${session.offline ? 'offline' : 'online'}`
    : session.phase;

export function BackgroundScreen({
  background,
  session,
  search,
  crmUrl,
  actions,
  reasonWords,
  decisionParts,
}: BackgroundScreenProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
  const key = sessionKey(session);
  // The tab's actions come with its controller part; undefined while it loads, null if it could not.
  const [tab, setTab] = useState<BackgroundTabActions | null | undefined>(undefined);
  useEffect(() => {
    let shown = true;
    void actions.openBackgroundTab().then((opened) => {
      if (!shown) return;
      setTab(opened);
      void opened?.loadFolders();
    });
    return () => {
      shown = false;
    };
  }, [actions, key]);
  if (tab === null)
    return (
      <Body1 as="p" block style={{ margin: 0 }}>
        {t('background.couldNotOpen')}
      </Body1>
    );
  if (!background || !tab) return <Spinner size="tiny" label={t('background.opening')} />;
  return (
    <div className={styles.root} data-testid="background-screen">
      <BackgroundStatusPanel status={background.status} unavailable={background.unavailable} tab={tab} />
      {background.status && (
        <BackgroundActionList
          actions={background.status.actions}
          crmUrl={crmUrl}
          reasonWords={reasonWords}
          decisionParts={decisionParts}
        />
      )}
      <FolderTrackingEditor
        folders={background.folders}
        search={search}
        crmUrl={crmUrl}
        actions={actions}
        tab={tab}
      />
    </div>
  );
}
