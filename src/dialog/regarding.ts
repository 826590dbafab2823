/**
 * The Set Regarding dialog: a type-ahead search across accounts, contacts, leads, opportunities and
 * cases, narrowed by a record-type filter, with the records chosen lately offered before anything is
 * typed; the chosen record goes back to the command with messageParent. Record names are untrusted
 * text: they are set with textContent, never as HTML.
 */
import type { RecordSearchHit } from '../crm/port';
import { dialogCrm } from '../host/dialogCrm';
import { messageParent } from '../mailbox/dialogParent';
import { officeThemeKind } from '../mailbox/host';
import { reportFailure } from '../app/itemState';
import type { DiagnosticsLog } from '../app/ports';
import { recentOfTypes } from '../app/recentRecords';
import {
  findRegardingRecords,
  foundText,
  RECORD_TYPE_FILTERS,
  recordTypeFilter,
  typesOf,
  type RecordTypeFilter,
} from '../app/recordSearch';
import { consoleDiagnosticsLog } from '../host/diagnostics';
import { languageOf } from '../i18n/language';
import {
  englishDialogStrings,
  loadDialogStrings,
  type DialogKey,
  type DialogStrings,
} from '../i18n/dialogSurface';
import { DIALOG_CANCEL, RECENT_PARAM, recentFromParam } from '../commands/regardingDialog';

const TYPE_KEYS: Readonly<Record<string, DialogKey>> = {
  account: 'common.typeAccount',
  contact: 'common.typeContact',
  lead: 'common.typeLead',
  opportunity: 'common.typeOpportunity',
  incident: 'common.typeIncident',
};
const DEBOUNCE_MS = 250;

/** The page's fixed words (regarding.html is written in English), put in the user's language. */
export function wordPage(doc: Document, { t, language }: DialogStrings): void {
  doc.documentElement.lang = language;
  doc.title = t('dialog.title');
  const text = (id: string, key: DialogKey) => {
    const element = doc.getElementById(id);
    if (element) element.textContent = t(key);
  };
  text('type-label', 'dialog.recordType');
  text('search-label', 'dialog.searchLabel');
  text('status', 'dialog.typeAtLeastTwo');
  text('results-label', 'dialog.recentRecords');
  doc.getElementById('search')?.setAttribute('placeholder', t('dialog.searchPlaceholder'));
  doc.getElementById('results')?.setAttribute('aria-label', t('dialog.records'));
}

export function start(log: DiagnosticsLog, strings: DialogStrings): void {
  const { t } = strings;
  const typeName = (type: string): string => {
    const key = TYPE_KEYS[type];
    return key ? t(key) : type;
  };
  // Office's theme, read as the pane reads it, so the dialog is not a light box over a dark Outlook.
  document.documentElement.dataset.theme = officeThemeKind() ?? 'light';
  wordPage(document, strings);
  const params = new URL(window.location.href).searchParams;
  const crm = dialogCrm(params.get('crm'), log);
  const recent = recentFromParam(params.get(RECENT_PARAM), log);
  const input = document.getElementById('search') as HTMLInputElement;
  const typeSelect = document.getElementById('type') as HTMLSelectElement;
  const status = document.getElementById('status') as HTMLElement;
  const list = document.getElementById('results') as HTMLUListElement;
  const recentLabel = document.getElementById('results-label') as HTMLElement;
  let filter: RecordTypeFilter = 'all';
  let hits: readonly RecordSearchHit[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;

  typeSelect.replaceChildren(
    ...RECORD_TYPE_FILTERS.map((f) => {
      const option = document.createElement('option');
      option.value = f.value;
      option.textContent = t(f.labelKey);
      return option;
    }),
  );

  const say = (text: string, error = false): void => {
    status.textContent = text;
    status.className = error ? 'error' : '';
  };
  const choose = (hit: RecordSearchHit): void => {
    // Said before the dialog closes, so a screen reader names what was chosen.
    say(t('dialog.chosen', { type: typeName(hit.type), name: hit.name || t('common.noName') }));
    messageParent(Office, JSON.stringify({ type: hit.type, id: hit.id, name: hit.name }));
  };
  const render = (showingRecent: boolean): void => {
    list.replaceChildren(
      ...hits.map((hit, i) => {
        const row = document.createElement('li');
        row.id = `hit-${i}`;
        row.setAttribute('role', 'option');
        row.setAttribute('aria-selected', String(i === active));
        const name = document.createElement('span');
        name.textContent = hit.name || t('common.noName');
        const type = document.createElement('span');
        type.className = 'type';
        type.textContent = [typeName(hit.type), hit.email].filter(Boolean).join(' · ');
        row.append(name, type);
        row.addEventListener('click', () => choose(hit));
        return row;
      }),
    );
    recentLabel.hidden = !(showingRecent && hits.length > 0);
    list.setAttribute('aria-label', t(showingRecent ? 'dialog.recentRecords' : 'dialog.records'));
    input.setAttribute('aria-expanded', String(hits.length > 0));
    if (active >= 0) input.setAttribute('aria-activedescendant', `hit-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };
  const showRecent = (): void => {
    asked += 1; // an answer still on its way no longer describes what the user sees
    hits = recentOfTypes(recent, typesOf(filter)).map((r) => ({ ...r, email: null }));
    active = -1;
    render(true);
    say(t(hits.length ? 'dialog.recentHint' : 'dialog.typeAtLeastTwo'));
  };
  const search = async (text: string): Promise<void> => {
    const mine = ++asked;
    say(t('common.searching'));
    try {
      const found = await findRegardingRecords(crm, text, filter);
      if (mine !== asked) return; // a later search has started
      hits = found.hits;
      active = found.hits.length ? 0 : -1;
      render(false);
      const count = foundText(found.hits.length, found.more, filter, text, t);
      say(found.hits.length ? `${count} ${t('dialog.keysHint')}` : count);
    } catch (error) {
      // A later search has started: this failure no longer describes what the user sees.
      if (mine !== asked) {
        log.log(`An earlier record search failed after a newer one started ("${text}").`, error);
        return;
      }
      // The dialog has no session (no settings read), so the short text; the detail is in the log.
      const { text: shown } = reportFailure(log, 'Record search failed', error, false, t);
      say(t('dialog.searchFailed', { reason: shown }), true);
    }
  };
  const refresh = (): void => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) showRecent();
    else timer = setTimeout(() => void search(text), DEBOUNCE_MS);
  };
  input.addEventListener('input', refresh);
  typeSelect.addEventListener('change', () => {
    filter = recordTypeFilter(typeSelect.value);
    refresh();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (hits.length === 0) return;
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length;
      render(input.value.trim().length < 2);
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      choose(hits[active] as RecordSearchHit);
    }
  });
  // Escape closes the dialog wherever the focus is. In the search box (type="search") the browser's
  // own Escape would only clear the text, and an Office dialog cannot close itself: the launcher
  // closes it on this message and takes it as "no record chosen".
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      messageParent(Office, DIALOG_CANCEL);
    },
    true,
  );
  showRecent();
  input.focus();
}

/**
 * In the user's display language. English starts at once (it is in this bundle); German and French
 * wait for their chunk, and one that cannot load leaves the dialog in English (logged by the loader).
 */
Office.onReady(() => {
  const displayLanguage = Office.context.displayLanguage;
  if (languageOf(displayLanguage) === 'en') start(consoleDiagnosticsLog, englishDialogStrings);
  else void loadDialogStrings(displayLanguage).then((strings) => start(consoleDiagnosticsLog, strings));
});
