/**
 * Track in CRM on a draft being composed (new email, reply, forward), at the user's request: §2.2
 * applied to a draft. Its own module so the ribbon loads it as a chunk on a click in compose:
 * commands.js (the ribbon and the event runtime) is held to 40 KB gz, and the event handlers never
 * need it.
 *
 * For the pane's compose card: `trackDraft` ("Track when sent", and Set Regarding on a draft with
 * `askRegarding` or a `regarding`), `cancelDraftTracking` ("Cancel tracking"), `draftTracking` (what
 * the card shows; changes nothing).
 */
import type { RecordRef } from '../rules/types';
import { draftStateOf, randomId, subjectWithToken, type ComposeState } from './composeUseCases';
import type { LoggedSession } from './diagnostics';
import { wordsOf } from './appWords';
import { paneWordsOf } from './appPaneWords';
import { decideOn, lookUpAndDecide } from './pipeline';

export { cancelDraftTracking } from './composeUseCases';

type Session = LoggedSession;

/** A record the user chose, with its display name when the chooser knows it (the dialog does). */
export type ChosenRecord = RecordRef & { readonly name?: string | null };

export interface DraftTrackOptions {
  /** A record the user already chose (the pane's search); wins over the mark's and the parent's. */
  readonly regarding?: ChosenRecord | null;
  /**
   * Asks the user for a regarding record (the Set Regarding dialog). Called when the organization
   * requires one (OverrideTrackInCrmBehaviour = 1) and none was given, or when `askRegarding`.
   * Resolves null when the user chose none.
   */
  readonly chooseRegarding?: () => Promise<ChosenRecord | null>;
  /** The user asked to set the regarding (Set Regarding on a draft), marked or not. */
  readonly askRegarding?: boolean;
  readonly newId?: () => string;
}

export type DraftTrackStatus = 'marked' | 'already-marked' | 'needs-regarding' | 'not-marked' | 'no-draft';

export interface DraftTrackState extends ComposeState {
  readonly status: DraftTrackStatus;
  /** The regarding record's display name when known (chosen in the dialog, or the parent's). */
  readonly regardingName: string | null;
}

/**
 * "Track in CRM" on a draft being composed (new email, reply or forward; ribbon or pane): §2.2 on a
 * draft, marked to be tracked when sent (draftMarking.ts says how). The marking code is a chunk
 * loaded on the first such click, and it is handed the shared functions rather than importing them:
 * a chunk that imported them would stop webpack from inlining them into commands.js, which grows
 * the bundle more than the chunk saves (commands.js, also the event runtime, is held to 40 KB gz).
 */
export async function trackDraft(
  session: Session,
  options: DraftTrackOptions = {},
): Promise<DraftTrackState> {
  const { markOnRequest } = await import(/* webpackChunkName: "draft" */ './draftMarking');
  return markOnRequest({ lookUpAndDecide, decideOn, subjectWithToken, randomId }, session, options);
}

/** What the pane's compose card shows: marked (and regarding what), cancelled, or neither. Changes nothing. */
export async function draftTracking(session: Session): Promise<ComposeState> {
  return (
    draftStateOf(await session.mailbox.currentDraft(), wordsOf(session)) ?? {
      marked: false,
      mark: null,
      decision: null,
      message: paneWordsOf(session)('appPane.notTrackedWhenSentYet'),
    }
  );
}
