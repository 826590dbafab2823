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
import { usePaneStrings } from '../strings';
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
  const { t } = usePaneStrings();
  return (
    <Caption1>
      {/* French sets a space before the colon: the colon is the language's, not the markup's. */}
      {t('background.recordTypeLabel', { type: typeLabel(row.regarding.type, t) })}{' '}
      <a
        className={styles.link}
        href={recordUrl(crmUrl, row.regarding)}
        target="_blank"
        rel="noopener noreferrer"
      >
        {row.regardingName || t('background.noName')}
      </a>
    </Caption1>
  );
}

export function FolderTrackingEditor({ folders, search, crmUrl, actions, tab }: FolderTrackingEditorProps) {
  const styles = useStyles();
  const { t } = usePaneStrings();
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
        {t('background.foldersHeading')}
      </h2>
      <Caption1 className={styles.muted}>{t('background.foldersIntro')}</Caption1>
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
          {folders.status === 'loading' && <Spinner size="tiny" label={t('background.foldersReading')} />}
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
              <Button onClick={() => void tab.loadFolders()}>{t('background.tryAgain')}</Button>
            </div>
          )}
          {folders.status === 'ready' && folders.mappings.length === 0 && (
            <Caption1 className={styles.muted}>{t('background.noFolderTracked')}</Caption1>
          )}
          {folders.mappings.length > 0 && (
            <ul
              className={styles.list}
              aria-label={t('background.foldersHeading')}
              data-testid="folder-rules"
            >
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
                    aria-label={t('background.removeRuleFor', { folder: row.folderPath })}
                    onClick={() => setConfirming(row)}
                  >
                    {folders.removing === row.id ? t('background.removing') : t('background.remove')}
                  </Button>
                </li>
              ))}
            </ul>
          )}
          {!locked && folders.status !== 'loading' && (
            <div className={styles.form} role="group" aria-labelledby="folders-add-heading">
              <Caption1 as="h3" id="folders-add-heading" className={styles.line} style={{ fontWeight: 600 }}>
                {t('background.trackAFolder')}
              </Caption1>
              <Field label={t('background.folder')}>
                <Select
                  value={form.folderId ?? ''}
                  disabled={folders.saving || folders.folders === null}
                  onChange={(_, data) => tab.pickFolder(data.value || null)}
                >
                  <option value="">
                    {folders.folders === null
                      ? t('background.noFoldersToChoose')
                      : folders.folders.length === 0
                        ? t('background.noFolderUnderInbox')
                        : t('background.chooseFolder')}
                  </option>
                  {(folders.folders ?? []).map((folder) => (
                    <option key={folder.id} value={folder.id} disabled={mapped.has(folder.id)}>
                      {mapped.has(folder.id)
                        ? t('background.folderTracked', { folder: folder.path })
                        : folder.path}
                    </option>
                  ))}
                </Select>
              </Field>
              <Body1 as="p" block className={styles.line} data-testid="folder-form-regarding">
                {form.regarding
                  ? t('background.formRegarding', {
                      type: typeLabel(form.regarding.type, t),
                      name: form.regarding.name || t('background.noName'),
                    })
                  : t('background.noRecordChosen')}
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
                    {form.regarding ? t('background.chooseAnotherRecord') : t('background.chooseRecord')}
                  </Button>
                </div>
              )}
              <div className={styles.row}>
                <Button appearance="primary" disabled={!canAdd} onClick={() => tab.addFolderMapping()}>
                  {t('background.add')}
                </Button>
                {folders.saving && <Spinner size="tiny" label={t('background.adding')} />}
              </div>
            </div>
          )}
        </>
      )}
      {confirming && (
        <ConfirmDialog
          open
          title={t('background.confirmTitle')}
          confirmLabel={t('background.remove')}
          cancelLabel={t('background.keepRule')}
          onConfirm={() => {
            void tab.removeFolderMapping(confirming.id);
            setConfirming(null);
          }}
          onCancel={() => setConfirming(null)}
        >
          {t('background.confirmText', {
            folder: confirming.folderPath,
            type: typeLabel(confirming.regarding.type, t),
            name: confirming.regardingName || t('background.noName'),
          })}
        </ConfirmDialog>
      )}
    </section>
  );
}
