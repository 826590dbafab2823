/**
 * The body of `trackDraft` (draftTracking.ts), a chunk of its own: it imports types only, and is
 * handed the shared functions it uses (see trackDraft for why).
 */
import type { RecordRef } from '../rules/types';
import type { randomId, subjectWithToken } from './composeUseCases';
import type { LoggedSession } from './diagnostics';
import { englishAppPaneWords, paneWordsOf } from './appPaneWords';
import type { AppTranslate } from './appWords';
import type { ChosenRecord, DraftTrackOptions, DraftTrackState, DraftTrackStatus } from './draftTracking';
import type { decideOn, lookUpAndDecide } from './pipeline';
import type { DraftMark } from './ports';

/** What the chunk uses of the code commands.js already has. */
export interface Shared {
  readonly lookUpAndDecide: typeof lookUpAndDecide;
  readonly decideOn: typeof decideOn;
  readonly subjectWithToken: typeof subjectWithToken;
  readonly randomId: typeof randomId;
}

/** "Will be tracked in the CRM when sent, regarding Fabrikam." (the draft's notification and the pane). */
export const willTrackText = (
  name: string | null | undefined,
  t: AppTranslate = englishAppPaneWords,
): string => (name ? t('appPane.willTrackWhenSentRegarding', { name }) : t('appPane.willTrackWhenSent'));

const plainRef = (ref: ChosenRecord): RecordRef => ({ type: ref.type, id: ref.id });

/**
 * "Track in CRM" on a draft being composed (new email, reply or forward; ribbon or pane): §2.2 on a
 * draft. The draft is marked to be tracked when sent; the send-time track (messageSending) makes
 * the activity. A regarding record is asked for first when the organization requires one
 * (OverrideTrackInCrmBehaviour = 1: a correlated regarding is not a choice, §2.2). With tracking
 * tokens on, a reply keeps its parent's token and any other draft gets a new one in its subject
 * (§2.3). An explicit request marks a draft the user had cancelled: the choice is the user's to undo.
 * A draft already marked stays as it is unless a regarding is given or asked for.
 */
export async function markOnRequest(
  { lookUpAndDecide, decideOn, subjectWithToken, randomId }: Shared,
  session: LoggedSession,
  options: DraftTrackOptions,
): Promise<DraftTrackState> {
  const result = (
    status: DraftTrackStatus,
    message: string,
    rest: Partial<DraftTrackState> = {},
  ): DraftTrackState => ({
    status,
    marked: status === 'marked' || status === 'already-marked',
    mark: null,
    decision: null,
    regardingName: null,
    message,
    ...rest,
  });
  const t = paneWordsOf(session);
  const alreadyMarked = t('appPane.alreadyMarked');
  const noRegarding = t('appPane.notMarkedNoRegarding');
  const draft = await session.mailbox.currentDraft();
  if (!draft) return result('no-draft', t('appPane.openEmailToTrack'));
  const changeRegarding = options.regarding != null || options.askRegarding === true;
  if (draft.mark && !changeRegarding) {
    await session.mailbox.notify(null, { kind: 'will-track', text: alreadyMarked });
    return result('already-marked', alreadyMarked, { mark: draft.mark });
  }
  let chosen: ChosenRecord | null = options.regarding ?? null;
  if (!chosen && options.askRegarding && options.chooseRegarding) chosen = await options.chooseRegarding();
  // One lookup: the parent (a reply's token, regarding and activity) and the §2.2 decision. Nothing
  // is created now, so a draft has no duplicate to find (it has no Message-ID yet).
  const decided = await lookUpAndDecide(session, draft.facts, 'track', chosen ? plainRef(chosen) : null);
  let { decision } = decided;
  if (decision.reason === 'RegardingRequired') {
    if (!chosen && !options.askRegarding) chosen = (await options.chooseRegarding?.()) ?? null;
    if (!chosen)
      return result(options.chooseRegarding ? 'not-marked' : 'needs-regarding', noRegarding, {
        decision,
        mark: draft.mark,
        marked: !!draft.mark,
      });
    decision = decideOn(session, draft.facts, 'track', plainRef(chosen), decided.lookup);
  }
  // Asked to set a regarding and closed the dialog on a marked draft: the mark stays as it was.
  if (draft.mark && !chosen) return result('already-marked', alreadyMarked, { mark: draft.mark, decision });
  const regarding = chosen ? plainRef(chosen) : (draft.mark?.regarding ?? decision.regarding);
  // §2.3: a reply or forward keeps the token of the email it answers; any other draft gets a new one.
  // (The rules give the parent's token for the compose action only, so it is read from the lookup.)
  const parentToken =
    draft.facts.composeType === 'reply' || draft.facts.composeType === 'forward'
      ? (decided.lookup.trackedEmails.find((t) => t.activityId === decision.correlation?.activityId)
          ?.trackingToken ?? null)
      : null;
  const tokened = await subjectWithToken(session, draft, parentToken);
  const mark: DraftMark = {
    // Kept when only the regarding changes: the id links the send-time activity to the sent item.
    id: draft.mark?.id ?? (options.newId ?? randomId)(),
    regarding,
    parentActivityId: draft.mark?.parentActivityId ?? decision.correlation?.activityId ?? null,
    // The token this marking (or the one it replaces) put in the subject, for Cancel to take out.
    token: tokened?.token ?? draft.mark?.token ?? null,
  };
  const regardingName =
    chosen?.name ??
    (regarding && decided.lookup.regardingNames?.[`${regarding.type}:${regarding.id}`]) ??
    null;
  await session.mailbox.markDraft(mark, tokened?.subject ?? null);
  const message = willTrackText(regardingName, t);
  await session.mailbox.notify(null, { kind: 'will-track', text: message });
  return result('marked', message, { mark, decision, regardingName });
}
