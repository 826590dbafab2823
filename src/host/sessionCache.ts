/**
 * One opened session reused within a runtime. The ribbon's page (and the web event runtime) stays
 * alive between clicks, and opening a session is a CRM round trip plus, for a real org, a token: a
 * click should cost the lookup and the track, not the identity and settings again.
 *
 * Bounded, because what the session holds can change behind it: reused for `ttlMs` (an admin's
 * change to the organization's settings applies within that), and dropped at once when the local
 * settings it was opened from change (another CRM URL, options saved), or when a caller saw it fail
 * in a way a new session may cure (an auth error: the token or the user's access changed). A
 * session opened offline (from the roaming snapshot) is used once, never kept.
 */
import type { OutlookHost } from './outlookSession';

export const SESSION_TTL_MS = 5 * 60_000;

export interface SessionCacheOptions {
  /** Opens a new session. */
  readonly open: () => Promise<OutlookHost>;
  /** What the session was opened from (CRM URL and local options): a different value drops it. */
  readonly fingerprint: () => string;
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export class SessionCache {
  private entry: { host: Promise<OutlookHost>; key: string; openedAt: number } | null = null;
  private settled: OutlookHost | null = null;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SessionCacheOptions) {
    this.ttlMs = options.ttlMs ?? SESSION_TTL_MS;
    this.now = options.now ?? (() => Date.now());
  }

  /** The cached session when still fresh and opened from the same settings, else a new one. */
  get(): Promise<OutlookHost> {
    const key = this.options.fingerprint();
    const now = this.now();
    const entry = this.entry;
    if (entry && entry.key === key && now - entry.openedAt < this.ttlMs) return entry.host;
    const host = this.options.open();
    const opening = { host, key, openedAt: now };
    this.entry = opening;
    host.then(
      (opened) => {
        if (this.entry !== opening) return;
        this.settled = opened;
        // Opened offline, on the last settings kept in roaming settings: good for this click (its
        // track is queued), but the next one should try the CRM again.
        if (opened.session.offline) this.entry = null;
      },
      () => {
        // A failed open is never reused: the next click tries again. The caller reports the error.
        if (this.entry === opening) this.entry = null;
      },
    );
    return host;
  }

  /** Drops the session: the next get() opens a new one. */
  invalidate(): void {
    this.entry = null;
  }

  /**
   * The last session that opened, even if dropped since: what VerboseErrorsOnPromoteToCRM said when
   * a new one cannot be opened (the CRM is down) and a failure must still be worded per the setting.
   */
  get lastKnown(): OutlookHost | null {
    return this.settled;
  }
}
