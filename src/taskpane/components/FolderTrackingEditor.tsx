/**
 * Tracked folders (Dynamics 365's folder tracking rules): the user's rules, folder → regarding
 * record, and a form to add one (a folder picker, the pane's record search for the record); Remove
 * asks first. Locked, with the organization's reason, when folder-level tracking is off. Folder
 * paths and record names are untrusted text, rendered as text.
 */
import { useEffect, useRef, useState } from 'react';
import {
  Body1,
  Button,
  Caption1,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import type { FolderMappingRow } from '../../crm/folderMappingPort';
import type { BackgroundTabActions, PaneActions } from '../actions';
import { recordUrl, typeLabel } from '../controller/format';
import type { FolderTrackingView, SearchView } from '../controller/types';
import { ConfirmDialog } from './ConfirmDialog';
import { LockHint } from './LockHint';
import { RegardingSearch } from './RegardingSearch';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  heading: {
    ...typographyStyles.subtitle2,
    margin: 0,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalXS },
  rule: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    overflowWrap: 'anywhere',
    minWidth: 0,
  },
  ruleText: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  link: {
    color: tokens.colorBrandForegroundLink,
    ':hover': { color: tokens.colorBrandForegroundLinkHover },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    paddingTop: tokens.spacingVerticalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground3 },
  line: { margin: 0, overflowWrap: 'anywhere' },
});

export interface FolderTrackingEditorProps {
  readonly folders: FolderTrackingView;
  readonly search: SearchView;
  readonly crmUrl: string;
  /** The pane's record search (shared with the item card) is driven through these. */
  readonly actions: PaneActions;
  readonly tab: BackgroundTabActions;
}

function RuleRecord({ row, crmUrl }: { readonly row: FolderMappingRow; readonly crmUrl: string }) {
  const styles = useStyles();
  return (
    <Caption1>
      {typeLabel(row.regarding.type)}:{' '}
      <a
        className={styles.link}
        href={recordUrl(crmUrl, row.regarding)}
        target="_blank"
        rel="noopener noreferrer"
      >
        {row.regardingName || '(no name)'}
      </a>
    </Caption1>
  );
}

export function FolderTrackingEditor({ folders, search, crmUrl, actions, tab }: FolderTrackingEditorProps) {
  const styles = useStyles();
  const [confirming, setConfirming] = useState<FolderMappingRow | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const chooser = useRef<HTMLButtonElement>(null);
  const was = useRef({ rules: folders.mappings.length, searching: false });
  const searching = search.open && search.purpose === 'folder';
  // Keyboard focus never falls to the page: a removed rule takes its Remove button with it (focus goes
  // to the heading), and a closed search its field (focus goes back to the button that opened it).
  useEffect(() => {
    const removed = folders.mappings.length < was.current.rules;
    const closed = was.current.searching && !searching;
    was.current = { rules: folders.mappings.length, searching };
    if (typeof document === 'undefined' || document.activeElement !== document.body) return;
    if (closed) chooser.current?.focus();
    else if (removed) heading.current?.focus();
  }, [folders.mappings.length, searching]);

  const { lock, form } = folders;
  const locked = lock !== null;
  const mapped = new Set(folders.mappings.map((m) => m.folderId));
  const canAdd = !locked && !folders.saving && form.folderId !== null && form.regarding !== null;

  return (
    <section className={styles.root} aria-labelledby="folders-heading" data-testid="folder-tracking">
      <h2 id="folders-heading" className={styles.heading} ref={heading} tabIndex={-1}>
        Tracked folders
      </h2>
      <Caption1 className={styles.muted}>
        Email in a tracked folder is tracked regarding the folder’s record. Only folders under your Inbox can
        be tracked.
      </Caption1>
      {folders.unavailable ? (
        <Body1 as="p" block className={styles.line} data-testid="folder-tracking-unavailable">
          {folders.unavailable}
        </Body1>
      ) : (
        <>
          {lock && (
            <Caption1 as="p" className={styles.line} data-testid="folder-tracking-lock">
              <LockHint reason={lock} />
            </Caption1>
          )}
          {folders.status === 'loading' && (
            <Spinner size="tiny" label="Reading your folder tracking rules…" />
          )}
          {folders.message && (
            <MessageBar
              intent={folders.message.intent}
              layout="multiline"
              data-testid="folder-tracking-message"
            >
              <MessageBarBody>{folders.message.text}</MessageBarBody>
            </MessageBar>
          )}
          {folders.status === 'failed' && (
            <div className={styles.row}>
              <Button onClick={() => void tab.loadFolders()}>Try again</Button>
            </div>
          )}
          {folders.status === 'ready' && folders.mappings.length === 0 && (
            <Caption1 className={styles.muted}>No folder is tracked.</Caption1>
          )}
          {folders.mappings.length > 0 && (
            <ul className={styles.list} aria-label="Tracked folders" data-testid="folder-rules">
              {folders.mappings.map((row) => (
                <li key={row.id} className={styles.rule}>
                  <span className={styles.ruleText}>
                    <Body1>{row.folderPath}</Body1>
                    <RuleRecord row={row} crmUrl={crmUrl} />
                  </span>
                  <Button
                    size="small"
                    disabled={locked}
                    disabledFocusable={folders.removing === row.id}
                    aria-label={`Remove the rule for ${row.folderPath}`}
                    onClick={() => setConfirming(row)}
                  >
                    {folders.removing === row.id ? 'Removing…' : 'Remove'}
                  </Button>
                </li>
              ))}
            </ul>
          )}
          {!locked && folders.status !== 'loading' && (
            <div className={styles.form} role="group" aria-labelledby="folders-add-heading">
              <Caption1 as="h3" id="folders-add-heading" className={styles.line} style={{ fontWeight: 600 }}>
                Track a folder
              </Caption1>
              <Field label="Folder">
                <Select
                  value={form.folderId ?? ''}
                  disabled={folders.saving || folders.folders === null}
                  onChange={(_, data) => tab.pickFolder(data.value || null)}
                >
                  <option value="">
                    {folders.folders === null
                      ? 'No folders to choose from'
                      : folders.folders.length === 0
                        ? 'No folder under your Inbox yet'
                        : 'Choose a folder'}
                  </option>
                  {(folders.folders ?? []).map((folder) => (
                    <option key={folder.id} value={folder.id} disabled={mapped.has(folder.id)}>
                      {mapped.has(folder.id) ? `${folder.path} (tracked)` : folder.path}
                    </option>
                  ))}
                </Select>
              </Field>
              <Body1 as="p" block className={styles.line} data-testid="folder-form-regarding">
                {form.regarding
                  ? `Regarding ${typeLabel(form.regarding.type)}: ${form.regarding.name || '(no name)'}`
                  : 'No record chosen yet.'}
              </Body1>
              {searching ? (
                <RegardingSearch
                  search={search}
                  actions={actions}
                  busy={folders.saving}
                  filter={search.filter ?? 'all'}
                  onFilterChange={(filter) => actions.setSearchFilter(filter)}
                  more={search.more}
                  recent={search.recent}
                  onChoose={(hit) => tab.chooseRegarding(hit)}
                />
              ) : (
                <div className={styles.row}>
                  <Button ref={chooser} disabled={folders.saving} onClick={() => tab.findRegarding()}>
                    {form.regarding ? 'Choose another record' : 'Choose a record'}
                  </Button>
                </div>
              )}
              <div className={styles.row}>
                <Button appearance="primary" disabled={!canAdd} onClick={() => tab.addFolderMapping()}>
                  Add
                </Button>
                {folders.saving && <Spinner size="tiny" label="Adding…" />}
              </div>
            </div>
          )}
        </>
      )}
      {confirming && (
        <ConfirmDialog
          open
          title="Stop tracking this folder?"
          confirmLabel="Remove"
          cancelLabel="Keep the rule"
          onConfirm={() => {
            void tab.removeFolderMapping(confirming.id);
            setConfirming(null);
          }}
          onCancel={() => setConfirming(null)}
        >
          {`New email in “${confirming.folderPath}” will no longer be tracked regarding ${typeLabel(confirming.regarding.type)} ${confirming.regardingName || '(no name)'}. Email already tracked stays in the CRM.`}
        </ConfirmDialog>
      )}
    </section>
  );
}
