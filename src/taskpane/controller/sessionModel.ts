/**
 * The pane's CRM session: opened at start, re-opened on Retry, a new CRM address or saved options,
 * and tried again in the background (with back-off when none could be opened; quietly behind a
 * session that started offline). Says in the pane when the next try is.
 */
import { errorText, userFacingError } from '../../app/itemState';
import { CrmAuthError } from '../../crm/errors';
import { CLIENT_ID, connectionFor, type Connection } from '../../host/connection';
import type { OutlookHost } from '../../host/outlookSession';
import { checkCrmUrl, waitWords } from './format';
import { optionsOnOpen } from './optionsEditor';
import { messageOf, type PaneCore } from './paneCore';
import type { PaneStrings } from '../strings';
import type { ItemView } from './types';

export function signInText(
  t: PaneStrings['t'],
  connection: Connection,
  phase: 'starting' | 'ready' | 'failed',
  error?: unknown,
): string {
  if (connection.local) return t('item.signInLocal');
  if (!CLIENT_ID) return t('item.signInNotSetUp');
  if (phase === 'ready') return t('item.signedIn');
  if (phase === 'starting') return t('item.signingIn');
  return error instanceof CrmAuthError
    ? t('item.notSignedInWith', { error: error.message })
    : t('item.notSignedIn');
}

export interface SessionDeps {
  /** Shows the selected item again (after the session changed). */
  itemChanged(): Promise<void>;
  showLoading(seq: number, itemId: string): void;
  drain(afterOutage: boolean): Promise<void>;
  /** A new session: the cached item states were decided on the old one. */
  clearCache(): void;
}

export class SessionModel {
  private generation = 0;
  /** Failed tries to open a session (none could be opened): the background tries back off by them. */
  private sessionTries = 0;
  /** The last failure to open a session, when it was one time fixes (offline, 5xx); else null. */
  private unreachableError: unknown = null;
  private nextSessionTryAt = 0;
  /** Why the last session failed to open, without the retry words that follow it (they change per try). */
  private failureText: string | null = null;
  private backgroundRun: Promise<void> | null = null;

  constructor(
    private readonly core: PaneCore,
    private readonly deps: SessionDeps,
  ) {}

  /** Why no session could be opened, when time fixes it (a track is queued); null otherwise. */
  get unreachable(): unknown {
    return this.core.host ? null : this.unreachableError;
  }

  /** (Re)opens the session; on success, the options and the connection are shown from it. */
  async openSession(opened?: OutlookHost): Promise<OutlookHost | null> {
    const core = this.core;
    const generation = ++this.generation;
    const connection = connectionFor(core.roaming.read().crmUrl);
    core.set({
      session: { phase: 'starting', slow: false },
      connection: {
        ...core.state.connection,
        crmUrl: connection.crmUrl,
        local: connection.local,
        signIn: signInText(core.t, connection, 'starting'),
      },
    });
    const stopSlow = core.whenSlow(() => {
      if (generation === this.generation && core.state.session.phase === 'starting')
        core.set({ session: { phase: 'starting', slow: true } });
    });
    const opening = (opened ? Promise.resolve(opened) : core.options.openHost(core.options.office)).then(
      (host) => host,
      (error: unknown) => {
        stopSlow();
        if (generation !== this.generation) return null;
        core.log(`Could not open the CRM session (${connection.crmUrl})`, error);
        core.host = null;
        const failure = userFacingError(error);
        this.unreachableError = failure.retryable ? error : null;
        const text = errorText(failure, false);
        this.failureText = core.t('item.couldNotConnectAt', { url: connection.crmUrl, error: text });
        core.set({
          session: { phase: 'failed', message: `${this.failureText} ${this.sessionRetryWords()}` },
          connection: { ...core.state.connection, signIn: signInText(core.t, connection, 'failed', error) },
          ...core.announce(core.t('item.couldNotConnect', { error: text })),
        });
        return null;
      },
    );
    core.hostPromise = opening;
    const host = await opening;
    stopSlow();
    if (!host || generation !== this.generation) return host;
    core.host = host;
    this.sessionTries = 0;
    this.unreachableError = null;
    this.deps.clearCache();
    const session = host.session;
    for (const issue of session.settingsIssues) core.log(`Settings: ${JSON.stringify(issue)}`);
    core.set({
      session: {
        phase: 'ready',
        userId: session.identity.userId,
        userName: session.identity.userName ?? null,
        mailboxApproved: session.identity.mailboxApproved,
        verboseErrors: session.settings.orgDb.VerboseErrorsOnPromoteToCRM === 1,
        offline: session.offline
          ? {
              settingsSavedAt: session.offline.settingsSavedAt,
              reason: errorText(userFacingError(session.offline.reason), false),
              // An offline session is tried again on every background run, without back-off.
              nextTry: core.t('item.withinAbout', { wait: waitWords(core.drainEveryMs, core.t) }),
            }
          : null,
      },
      connection: {
        ...core.state.connection,
        crmUrl: host.connection.crmUrl,
        local: host.connection.local,
        signIn: signInText(core.t, host.connection, 'ready'),
        mailbox: session.mailbox.userAddress(),
      },
      options: optionsOnOpen(core.state.options, session),
    });
    return host;
  }

  /** Re-opens the session (Retry after the CRM was down, a new CRM URL) and shows the item again. */
  async reconnect(opened?: OutlookHost): Promise<void> {
    const core = this.core;
    const current = core.currentOfficeItem();
    if (current && core.state.item.kind === 'unavailable')
      this.deps.showLoading(++core.selection, current.itemId);
    await this.openSession(opened);
    await this.deps.itemChanged();
  }

  /**
   * The card while no session is open: the session's own words, so the two never disagree. A read
   * item can still be tracked when time fixes the outage (its track is queued, as the ribbon does).
   */
  unavailable(itemId: string | null, read = false): ItemView {
    const session = this.core.state.session;
    const words = session.phase === 'failed' ? session.message : this.core.t('item.notConnectedToCrm');
    if (session.phase !== 'failed' || this.unreachable === null)
      return { kind: 'unavailable', itemId, message: words };
    const queued =
      read &&
      itemId !== null &&
      this.core.roaming.read().pending.some((p) => p.itemId === itemId && !p.undeliverable);
    if (queued)
      return {
        kind: 'unavailable',
        itemId,
        unreachable: true,
        queued: true,
        message: this.core.t('item.queuedWith', { words }),
      };
    return {
      kind: 'unavailable',
      itemId,
      unreachable: true,
      message: words,
      ...(read && itemId ? { canTrack: true } : {}),
    };
  }

  /**
   * The background retry: a session that started offline is opened again first (when the CRM
   * answers, the settings are fresh again and the item is checked anew), then the waiting tracks.
   */
  background(): Promise<void> {
    const core = this.core;
    // One at a time: a CRM that answers slowly (retries, back-off) must not pile up tries every tick.
    this.backgroundRun ??= (async () => {
      if (!core.host && core.state.session.phase === 'failed') {
        await this.retrySession();
        if (!core.host) return;
        if (!core.disposed) await this.deps.drain(true);
        return;
      }
      const recovered = !!core.host?.session.offline && !core.state.busy && (await this.reconnectQuietly());
      if (!core.disposed) await this.deps.drain(recovered);
    })().finally(() => {
      this.backgroundRun = null;
    });
    return this.backgroundRun;
  }

  /** A new CRM address: saved to roaming settings, then the session starts again against it. */
  async setCrmUrl(raw: string): Promise<void> {
    const core = this.core;
    const checked = checkCrmUrl(raw, core.t);
    if ('error' in checked) {
      core.set({ connection: { ...core.state.connection, error: checked.error } });
      return;
    }
    core.set({ connection: { ...core.state.connection, saving: true, error: null } });
    try {
      await core.roaming.update((state) => ({ ...state, crmUrl: checked.url }));
    } catch (error) {
      core.log('Saving the CRM address failed', error);
      core.set({
        connection: {
          ...core.state.connection,
          saving: false,
          error: core.t('item.crmUrlNotSaved', { error: messageOf(error) }),
        },
      });
      return;
    }
    core.set({
      connection: { ...core.state.connection, saving: false },
      ...core.announce(core.t('item.crmUrlSaved')),
    });
    await this.reconnect();
  }

  /**
   * The wait before the next background try to open a session: one drain interval, doubling with
   * each failed try up to eight (a CRM that is down for long is not asked every minute).
   */
  private sessionRetryDelay(): number {
    return this.core.drainEveryMs * 2 ** Math.min(3, Math.max(0, this.sessionTries - 1));
  }

  /** What the pane says about the background tries, in the delay they really use. */
  private sessionRetryWords(): string {
    this.sessionTries += 1;
    const delay = this.sessionRetryDelay();
    this.nextSessionTryAt = Date.now() + delay;
    return this.core.t('item.sessionRetry', { wait: waitWords(delay, this.core.t) });
  }

  /**
   * No session could be opened at all (a first run with the CRM down: no saved settings to start
   * on): tried again in the background with back-off, never only on the user's Retry; once open,
   * the item is checked again and the waiting tracks are sent.
   */
  private async retrySession(): Promise<void> {
    const core = this.core;
    if (Date.now() < this.nextSessionTryAt || core.state.busy) return;
    const generation = this.generation;
    const host = await core.options.openHost(core.options.office).catch((error: unknown) => {
      core.log('The CRM still cannot be reached', error);
      return null;
    });
    if (core.disposed || generation !== this.generation || core.host) return;
    if (!host) {
      const session = core.state.session;
      if (session.phase === 'failed') {
        const words = this.sessionRetryWords();
        core.set({
          session: { ...session, message: `${this.failureText ?? session.message} ${words}` },
        });
        // The card repeats the session's words: keep them the same (the wait grows with each try).
        const item = core.state.item;
        if (item.kind === 'unavailable')
          core.set({ item: this.unavailable(item.itemId, !!(item.canTrack || item.queued)) });
      }
      return;
    }
    await this.reconnect(host);
  }

  /**
   * Tries the CRM again behind an offline session without showing "Connecting…" every minute: the
   * pane changes only when the CRM answers (then the item is checked again on fresh settings).
   */
  private async reconnectQuietly(): Promise<boolean> {
    const core = this.core;
    const generation = this.generation;
    const host = await core.options.openHost(core.options.office).catch((error: unknown) => {
      core.log('The CRM still cannot be reached', error);
      return null;
    });
    if (!host || host.session.offline || generation !== this.generation || core.disposed) return false;
    await this.reconnect(host);
    return core.host !== null && !core.host.session.offline;
  }
}
