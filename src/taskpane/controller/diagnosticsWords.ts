/**
 * One diagnostics event as a line of the log view, in the user's language. The values (paths,
 * request ids) stay as logged: they are what support searches for; a decision is said in words, as
 * "Why?" ends (traceWords.ts).
 */
import type { LoggedEvent } from '../../app/diagnosticsEvents';
import { REASONS } from '../../rules/reasons';
import type { PaneKey } from '../strings';

type Translate = (key: PaneKey, params?: Readonly<Record<string, string | number>>) => string;

const QUEUE_KEYS: Readonly<Record<string, PaneKey>> = {
  queued: 'diagnostics.logQueueQueued',
  retried: 'diagnostics.logQueueRetried',
  'given-up': 'diagnostics.logQueueGivenUp',
  done: 'diagnostics.logQueueDone',
};

/** How a run ended, in words (an outcome this version does not know, from an older log, as finished). */
const RUN_OUTCOME_KEYS: Readonly<Record<string, PaneKey>> = {
  finished: 'diagnostics.logRunFinished',
  failed: 'diagnostics.logRunFailed',
  skipped: 'diagnostics.logRunSkipped',
};

/**
 * The decided item as the log names it: "Email from ***@fabrikam.com" when the logged label is a
 * masked address, else "The open email" (an older label, such as an Exchange item id, is not shown).
 */
function decisionItem(label: string, t: Translate): string {
  return /^\*{3}@\S+$/.test(label)
    ? t('diagnostics.logDecisionFrom', { sender: label })
    : t('diagnostics.logDecisionOpenEmail');
}

const KNOWN_REASONS: ReadonlySet<string> = new Set(REASONS);

/**
 * The outcome as the last step of "Why?" says it. The words are the diagnostics namespace's own copy
 * of the trace's final line (a test holds them equal): the trace table is a chunk loaded with "Why?",
 * and the log's lines must not pull it into the pane's first JavaScript.
 */
export function outcomeWords(track: boolean, reason: string, t: Translate): string {
  if (!track && reason === 'Duplicate') return t('diagnostics.logOutcomeDuplicate');
  const because = KNOWN_REASONS.has(reason) ? t(`diagnostics.logOutcomeReason${reason}` as PaneKey) : reason;
  return t(track ? 'diagnostics.logOutcomeTracked' : 'diagnostics.logOutcomeNotTracked', { reason: because });
}

export function eventWords(event: LoggedEvent, t: Translate): string {
  switch (event.kind) {
    case 'request': {
      const service = t(
        event.service === 'crm' ? 'diagnostics.logServiceCrm' : 'diagnostics.logServiceGraph',
      );
      const base = { service, method: event.method, path: event.path, duration: event.durationMs };
      const line =
        event.status === null
          ? t('diagnostics.logRequestLost', base)
          : t('diagnostics.logRequest', { ...base, status: event.status });
      const extras = [
        ...(event.attempt > 1 ? [t('diagnostics.logTry', { attempt: event.attempt })] : []),
        ...(event.requestId ? [t('diagnostics.logRequestId', { id: event.requestId })] : []),
      ];
      return extras.length === 0 ? line : `${line} · ${extras.join(' · ')}`;
    }
    case 'retry':
      return t('diagnostics.logRetry', {
        service: t(event.service === 'crm' ? 'diagnostics.logServiceCrm' : 'diagnostics.logServiceGraph'),
        method: event.method,
        path: event.path,
        seconds: Math.round(event.waitMs / 100) / 10,
      });
    case 'queue':
      return t(QUEUE_KEYS[event.move] ?? 'diagnostics.logQueueQueued', {
        key: event.key,
        attempts: event.attempts,
      });
    case 'decision':
      return t('diagnostics.logDecision', {
        item: decisionItem(event.item, t),
        outcome: outcomeWords(event.track, event.reason, t),
      });
    case 'run': {
      const outcome = t(RUN_OUTCOME_KEYS[event.outcome ?? 'finished'] ?? 'diagnostics.logRunFinished');
      if (event.run === 'sync')
        return event.phase === 'start'
          ? t('diagnostics.logRunSyncStart')
          : t('diagnostics.logRunSyncEnd', { outcome });
      return event.phase === 'start'
        ? t('diagnostics.logRunBackgroundStart')
        : t('diagnostics.logRunBackgroundEnd', { outcome });
    }
    case 'message':
      return event.error
        ? t('diagnostics.logMessageError', { text: event.text, error: event.error })
        : event.text;
  }
}

/** The events of one kind (or all), newest first: what the log view lists. */
export function eventsToShow(
  events: readonly LoggedEvent[],
  kind: LoggedEvent['kind'] | 'all',
): LoggedEvent[] {
  return events.filter((e) => kind === 'all' || e.kind === kind).reverse();
}
