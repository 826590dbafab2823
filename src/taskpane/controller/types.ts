/** The pane's state as the controller publishes it: plain data the views render. */
import type { BackgroundStatus } from '../../app/backgroundStatus';
import type { ComposeState } from '../../app/composeUseCases';
import type { ItemState, ItemStatus } from '../../app/itemState';
import type { RecentRecord } from '../../app/recentRecords';
import type { RecordTypeFilter } from '../../app/recordSearch';
import type { FolderMappingRow } from '../../crm/folderMappingPort';
import type { CreatedRecord, RecordSearchHit } from '../../crm/port';
import type { MailFolderInfo } from '../../graph/folderPort';
import type { LockReason } from '../../rules/effectiveSettings';
import type { RecordRef } from '../../rules/types';
import type { IntervalMinimums, OptionStates, OptionValues } from './optionsModel';

/** The item card's `data-status` (the end-to-end tests' contract). */
export type CardStatus =
  | ItemStatus
  | 'loading'
  | 'empty'
  | 'compose-marked'
  | 'compose-not-marked'
  /** No session because the CRM cannot be reached (time fixes it): not "Something went wrong". */
  | 'unreachable';

export interface SenderInfo {
  readonly name: string | null;
  readonly address: string;
}

/** A read item as shown: the use case's ItemState plus what the card says about the email itself. */
export interface ReadItemView {
  readonly kind: 'read';
  readonly itemId: string;
  readonly subject: string;
  readonly from: SenderInfo | null;
  readonly state: ItemState;
  /** Shown from the cache while a fresh lookup runs. */
  readonly refreshing: boolean;
}

export type ItemView =
  | { readonly kind: 'empty' }
  | { readonly kind: 'loading'; readonly itemId: string; readonly slow: boolean }
  | ReadItemView
  | {
      readonly kind: 'compose';
      readonly itemId: string;
      readonly state: ComposeState;
      /** The marked draft's regarding record's name, when it was chosen here (the card names it). */
      readonly regardingName?: string | null;
    }
  /** Nothing could be decided: no session (the CRM could not be reached) or the item could not be read. */
  | {
      readonly kind: 'unavailable';
      readonly itemId: string | null;
      readonly message: string;
      /** The CRM could not be reached (retried by itself); absent: refused, or a bug. */
      readonly unreachable?: boolean;
      /** A received or sent email while the CRM cannot be reached: Track queues it, as the ribbon does. */
      readonly canTrack?: boolean;
      /** Its track was queued here: sent when the CRM answers. */
      readonly queued?: boolean;
    };

export type SessionView =
  | { readonly phase: 'starting'; readonly slow: boolean }
  | {
      readonly phase: 'ready';
      readonly userId: string;
      /** The user's full name in the CRM (untrusted text); null or absent when it could not be read. */
      readonly userName?: string | null;
      readonly mailboxApproved: boolean;
      readonly verboseErrors: boolean;
      /**
       * The CRM could not be reached at start: the session runs on the settings saved then (§1.4
       * offline start), tracks are queued, and it is opened again on the next background retry.
       */
      readonly offline: {
        readonly settingsSavedAt: string;
        readonly reason: string;
        /** When the CRM is tried again, in words ("within about 60 seconds"). */
        readonly nextTry?: string;
      } | null;
    }
  | { readonly phase: 'failed'; readonly message: string };

export interface ConnectionView {
  readonly crmUrl: string;
  readonly local: boolean;
  /** Sign-in state in words. */
  readonly signIn: string;
  /** The Outlook mailbox's address. */
  readonly mailbox: string;
  readonly saving: boolean;
  readonly error: string | null;
}

export interface BusyView {
  readonly label: string;
  /** Over 300 ms: show progress. */
  readonly slow: boolean;
}

/** What the review form's Create came to: the new record, or why not in the user's words. */
export type CreateRecordResult =
  { readonly ok: true; readonly record: CreatedRecord } | { readonly ok: false; readonly message: string };

/** Accounts for a contact's parent account, with whether the CRM has more; or why the search failed. */
export type AccountSearchResult =
  | { readonly accounts: readonly { readonly id: string; readonly name: string }[]; readonly more: boolean }
  | { readonly error: string };

export interface SearchView {
  readonly open: boolean;
  readonly query: string;
  readonly status: 'idle' | 'searching' | 'done' | 'failed';
  readonly hits: readonly RecordSearchHit[];
  /** "No records match", an error, or a hint. */
  readonly message: string | null;
  /** The record-type filter the search asks by (absent: all types). */
  readonly filter?: RecordTypeFilter;
  /** The CRM has more matches than `hits` (the count reads "10+"); absent: not known. */
  readonly more?: boolean;
  /** Records chosen lately, newest first: offered before anything is typed. */
  readonly recent?: readonly RecentRecord[];
  /** Whom a chosen record is for: absent, the selected item; `folder`, the folder-tracking form. */
  readonly purpose?: 'folder';
}

export interface OptionsView {
  /** Null until a session has loaded the options. */
  readonly base: OptionValues | null;
  readonly draft: OptionValues | null;
  readonly states: OptionStates;
  readonly minimums: IntervalMinimums | null;
  readonly dirty: boolean;
  readonly status: 'idle' | 'saving' | 'saved' | 'failed';
  readonly message: string | null;
  readonly slow: boolean;
}

export interface QueueView {
  readonly waiting: number;
  readonly undeliverable: number;
  /** The last background retry failed as a whole (the queue could not be read or saved). */
  readonly problem: string | null;
  /** When the next waiting track is tried, in words from its real back-off ("in about 2 minutes"). */
  readonly nextTry?: string | null;
}

/** A regarding record with the name the search showed (untrusted text). */
export interface NamedRecord extends RecordRef {
  readonly name: string;
}

/**
 * Folder-level tracking rules (the user's `mailboxtrackingfolders`): the list, and the form that adds
 * one. The form lives here, not in the view, so a failed add or a tab switch loses nothing typed.
 */
export interface FolderTrackingView {
  /** Why the rules cannot be read or edited in this pane (no folder or CRM port, no session); null when they can. */
  readonly unavailable: string | null;
  /** The organization has folder-level tracking off (`isfolderbasedtrackingenabled`): the editor is locked. */
  readonly lock: LockReason | null;
  readonly status: 'idle' | 'loading' | 'ready' | 'failed';
  readonly mappings: readonly FolderMappingRow[];
  /** The folders the picker offers (those under the Inbox); null until read (or when they could not be). */
  readonly folders: readonly MailFolderInfo[] | null;
  readonly form: { readonly folderId: string | null; readonly regarding: NamedRecord | null };
  /** An add under way, or the id of the rule being removed. */
  readonly saving: boolean;
  readonly removing: string | null;
  /** The last failure (in the pane's error words) or what was just done. */
  readonly message: { readonly intent: 'error' | 'success'; readonly text: string } | null;
}

/** The Background check tab: the runner's status and the folder-tracking rules. */
export interface BackgroundTabView {
  /** Null when this Outlook runs no background check (`unavailable` says why). */
  readonly status: BackgroundStatus | null;
  readonly unavailable: string | null;
  readonly folders: FolderTrackingView;
}

export interface PaneState {
  readonly session: SessionView;
  readonly connection: ConnectionView;
  readonly item: ItemView;
  readonly busy: BusyView | null;
  readonly search: SearchView;
  readonly options: OptionsView;
  readonly queue: QueueView;
  /** A problem outside the item (following the selection): shown as a banner. */
  readonly notice: string | null;
  /** What the aria-live region says; `seq` changes with every announcement. */
  readonly announcement: { readonly seq: number; readonly text: string };
  /** Absent until the Background check tab is first opened (its part is a chunk of its own). */
  readonly background?: BackgroundTabView;
}

export const cardStatusOf = (item: ItemView): CardStatus => {
  switch (item.kind) {
    case 'empty':
      return 'empty';
    case 'loading':
      return 'loading';
    case 'read':
      return item.state.status;
    case 'compose':
      return item.state.marked ? 'compose-marked' : 'compose-not-marked';
    case 'unavailable':
      return item.unreachable ? 'unreachable' : 'failed';
  }
};

export const EMPTY_SEARCH: SearchView = { open: false, query: '', status: 'idle', hits: [], message: null };

/** The pane before anything is known: the controller starts here (tests render it too). */
export function initialPaneState(connection: ConnectionView, item: PaneState['item']): PaneState {
  return {
    session: { phase: 'starting', slow: false },
    connection,
    item,
    busy: null,
    search: EMPTY_SEARCH,
    options: {
      base: null,
      draft: null,
      states: {},
      minimums: null,
      dirty: false,
      status: 'idle',
      message: null,
      slow: false,
    },
    queue: { waiting: 0, undeliverable: 0, problem: null },
    notice: null,
    announcement: { seq: 0, text: '' },
  };
}
