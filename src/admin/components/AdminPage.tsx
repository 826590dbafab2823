/** The admin page: the tabs of the original System Settings, the save bar, and the preview. */
import {
  Button,
  FluentProvider,
  MessageBar,
  MessageBarBody,
  Spinner,
  Tab,
  TabList,
  webLightTheme,
} from '@fluentui/react-components';
import { useMemo, useState, useSyncExternalStore } from 'react';
import type { AdminActions, AdminState } from '../adminController';
import { changesFrom, draftProblems, storedDraft } from '../adminModel';
import { settingsOnTab, type AdminTab } from '../settingsCatalog';
import { useAdminStrings, type AdminKey } from '../strings';
import { EnvironmentTab } from './EnvironmentTab';
import { MappingsTab } from './MappingsTab';
import { OrgDbTab } from './OrgDbTab';
import { PreviewPanel } from './PreviewPanel';
import { SaveBar } from './SaveBar';
import { SettingsTab } from './SettingsTab';
import type { AdminView } from './tabProps';

export interface AdminStore {
  getState(): AdminState;
  subscribe(listener: () => void): () => void;
}

const TABS: readonly { id: AdminTab; label: AdminKey }[] = [
  { id: 'email', label: 'admin.tabEmail' },
  { id: 'outlook', label: 'admin.tabOutlook' },
  { id: 'synchronization', label: 'admin.tabSynchronization' },
  { id: 'orgDb', label: 'admin.tabOrgDb' },
  { id: 'environment', label: 'admin.tabEnvironment' },
];

/** How many values a save would write: each column, XML name, variable and mapping once. */
function changeCount(view: AdminView): number {
  const changes = changesFrom(view.snapshot, view.draft);
  const org = changes.organization;
  const xmlNames = Object.keys(view.draft.values).filter(
    (k) => k.startsWith('orgDb:') && view.draft.values[k] !== view.stored.values[k],
  ).length;
  return (
    (org ? Object.keys(org.columns).length : 0) +
    xmlNames +
    (changes.environmentVariables?.length ?? 0) +
    (changes.syncMappings?.length ?? 0)
  );
}

function Ready({
  state,
  actions,
}: {
  state: Extract<AdminState, { phase: 'ready' }>;
  actions: AdminActions;
}) {
  const { t } = useAdminStrings();
  const [tab, setTab] = useState<AdminTab>('email');
  const view: AdminView = useMemo(() => {
    const stored = storedDraft(state.snapshot);
    // Problems only where the draft differs, so a page that was read is never "invalid".
    const problems = draftProblems(state.snapshot, state.draft);
    return {
      snapshot: state.snapshot,
      draft: state.draft,
      stored,
      problems,
      readOnly: !state.snapshot.access.canWriteOrganization,
    };
  }, [state.snapshot, state.draft]);
  const props = { view, actions };
  return (
    <>
      {view.readOnly ? (
        <MessageBar intent="info" data-testid="admin-read-only" style={{ marginBottom: 12 }}>
          <MessageBarBody>{t('admin.readOnly')}</MessageBarBody>
        </MessageBar>
      ) : null}
      {/* Wrapped, not scrolled: five tabs in French or German are wider than the 560 px dialog Outlook
          may give the page, and a tab cut off at the edge is a tab nobody finds (walk 13b). */}
      <TabList
        style={{ flexWrap: 'wrap' }}
        selectedValue={tab}
        onTabSelect={(_, data) => setTab(data.value as AdminTab)}
        aria-label={t('admin.tabsLabel')}
      >
        {TABS.map(({ id, label }) => (
          <Tab key={id} value={id} id={`tab-${id}`} aria-controls="admin-tabpanel">
            {t(label)}
          </Tab>
        ))}
      </TabList>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 32, alignItems: 'flex-start' }}>
        <div
          role="tabpanel"
          id="admin-tabpanel"
          aria-labelledby={`tab-${tab}`}
          style={{ flex: '1 1 420px', maxWidth: 720, paddingTop: 12 }}
        >
          {tab === 'email' || tab === 'outlook' ? (
            <SettingsTab settings={settingsOnTab(tab)} {...props} />
          ) : null}
          {tab === 'synchronization' ? <MappingsTab {...props} /> : null}
          {tab === 'orgDb' ? <OrgDbTab {...props} /> : null}
          {tab === 'environment' ? <EnvironmentTab {...props} /> : null}
          {view.readOnly ? null : (
            <SaveBar
              changes={changeCount(view)}
              saving={state.saving}
              outcome={state.outcome}
              actions={actions}
            />
          )}
        </div>
        <div style={{ flex: '1 1 320px', maxWidth: 520 }}>
          <PreviewPanel view={view} sample={state.sample} actions={actions} />
        </div>
      </div>
    </>
  );
}

export function AdminPage({ store, actions }: { store: AdminStore; actions: AdminActions }) {
  const { t } = useAdminStrings();
  const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  return (
    <FluentProvider theme={webLightTheme} style={{ padding: 16, minHeight: '100vh' }}>
      <main data-admin-phase={state.phase}>
        <h1 style={{ fontSize: 24, marginTop: 0 }}>{t('admin.heading')}</h1>
        {state.phase === 'loading' ? <Spinner label={t('admin.loading')} /> : null}
        {state.phase === 'failed' ? (
          <MessageBar intent="error">
            <MessageBarBody>{t('admin.loadFailed', { detail: state.detail })}</MessageBarBody>
            <Button onClick={() => void actions.reload()}>{t('admin.tryAgain')}</Button>
          </MessageBar>
        ) : null}
        {state.phase === 'ready' ? <Ready state={state} actions={actions} /> : null}
      </main>
    </FluentProvider>
  );
}
