/**
 * The Set Regarding dialog: a type-ahead search across accounts, contacts, leads, opportunities and
 * cases; the chosen record goes back to the command with messageParent. Record names are untrusted
 * text: they are set with textContent, never as HTML.
 */
import type { RecordSearchHit } from '../crm/port';
import { DataverseAdapter } from '../crm/dataverseAdapter';
import { DataverseHttp } from '../crm/dataverseHttp';
import { connectionFor, tokenProviderFor } from '../host/connection';
import { msalSignIn } from '../host/signIn';
import { reportFailure } from '../app/itemState';
import type { DiagnosticsLog } from '../app/ports';
import { consoleDiagnosticsLog } from '../host/diagnostics';
import { DIALOG_CANCEL } from '../commands/regardingDialog';

const TYPE_NAMES: Readonly<Record<string, string>> = {
  account: 'Account',
  contact: 'Contact',
  lead: 'Lead',
  opportunity: 'Opportunity',
  incident: 'Case',
};
const DEBOUNCE_MS = 250;

function start(log: DiagnosticsLog): void {
  const connection = connectionFor(new URL(window.location.href).searchParams.get('crm') ?? undefined);
  const crm = new DataverseAdapter(
    new DataverseHttp({ orgUrl: connection.crmUrl, tokens: tokenProviderFor(connection, msalSignIn) }),
  );
  const input = document.getElementById('search') as HTMLInputElement;
  const status = document.getElementById('status') as HTMLElement;
  const list = document.getElementById('results') as HTMLUListElement;
  let hits: RecordSearchHit[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;

  const say = (text: string, error = false): void => {
    status.textContent = text;
    status.className = error ? 'error' : '';
  };
  const choose = (hit: RecordSearchHit): void => {
    Office.context.ui.messageParent(JSON.stringify({ type: hit.type, id: hit.id, name: hit.name }));
  };
  const render = (): void => {
    list.replaceChildren(
      ...hits.map((hit, i) => {
        const row = document.createElement('li');
        row.id = `hit-${i}`;
        row.setAttribute('role', 'option');
        row.setAttribute('aria-selected', String(i === active));
        const name = document.createElement('span');
        name.textContent = hit.name || '(no name)';
        const type = document.createElement('span');
        type.className = 'type';
        type.textContent = [TYPE_NAMES[hit.type] ?? hit.type, hit.email].filter(Boolean).join(' · ');
        row.append(name, type);
        row.addEventListener('click', () => choose(hit));
        return row;
      }),
    );
    input.setAttribute('aria-expanded', String(hits.length > 0));
    if (active >= 0) input.setAttribute('aria-activedescendant', `hit-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };
  const search = async (text: string): Promise<void> => {
    const mine = ++asked;
    say('Searching…');
    try {
      const found = await crm.searchRecords(text, 10);
      if (mine !== asked) return; // a later search has started
      hits = found;
      active = found.length ? 0 : -1;
      render();
      say(
        found.length
          ? `${found.length} record${found.length === 1 ? '' : 's'} found. Use the arrow keys and Enter.`
          : `No record matches "${text}".`,
      );
    } catch (error) {
      // A later search has started: this failure no longer describes what the user sees.
      if (mine !== asked) {
        log.log(`An earlier record search failed after a newer one started ("${text}").`, error);
        return;
      }
      // The dialog has no session (no settings read), so the short text; the detail is in the log.
      const { text: shown } = reportFailure(log, 'Record search failed', error, false);
      say(`The search failed: ${shown}`, true);
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) {
      hits = [];
      active = -1;
      render();
      say('Type at least two characters.');
      return;
    }
    timer = setTimeout(() => void search(text), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (hits.length === 0) return;
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length;
      render();
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
      Office.context.ui.messageParent(DIALOG_CANCEL);
    },
    true,
  );
  input.focus();
}

Office.onReady(() => start(consoleDiagnosticsLog));
