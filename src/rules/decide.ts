/**
 * The decisions of spec §2: `incoming` (an item seen), `track` (the button) and `compose` (a reply
 * or forward being written). One function, no side effects: the caller acts on the result.
 */
import { isValidAddress } from './addresses';
import { correlate, type Correlation, type CorrelationMethod } from './correlation';
import type { CrmIndex } from './crmIndex';
import { effectivePersonalOptions, type EffectivePersonalOptions } from './effectiveSettings';
import { normalizeMessageId } from './messageId';
import {
  addressMatcher,
  ref,
  resolveRecipients,
  senderMatches,
  type AddressMatcher,
  type Party,
  type SenderResolution,
} from './parties';
import { reasonCode, type Reason } from './reasons';
import type { Settings } from './settings';
import type { Action, CrmRecord, EmailFacts, RecordRef, TrackedEmail, UserContext } from './types';

export interface DecisionInput {
  readonly action: Action;
  readonly email: EmailFacts;
  /** The regarding record the user chose (§2.2 "chosen"), if any. */
  readonly regarding: RecordRef | null;
  readonly user: UserContext;
  readonly settings: Settings;
  readonly index: CrmIndex;
}

/** The sender as resolved: a record, or a record to be created (`id` null, see `create`). */
export interface SenderRef {
  readonly type: string;
  readonly id: string | null;
}

/** §2.5: a record to create from an unresolved sender. */
export interface RecordToCreate {
  readonly type: 'contact' | 'lead';
  readonly address: string;
  readonly firstname: string | null;
  readonly lastname: string;
}

export interface Decision {
  readonly track: boolean;
  readonly reason: Reason;
  readonly code: number | null;
  readonly existingActivityId: string | null;
  readonly correlation: { readonly method: CorrelationMethod; readonly activityId: string } | null;
  readonly regarding: RecordRef | null;
  readonly sender: SenderRef | null;
  readonly senderCandidates: readonly RecordRef[];
  readonly parties: readonly Party[];
  readonly create: readonly RecordToCreate[];
  readonly requiresRegarding: boolean;
  readonly trace: readonly string[];
  /**
   * Compose only (§2.3 step 2): the correlated parent's tracking token to keep in the draft's
   * subject; null when a new token is needed (or tokens are off).
   */
  readonly parentTrackingToken: string | null;
}

/**
 * How a sender conflict is settled:
 * - `incoming`: §2.1 step 8 (the override refuses, with candidates);
 * - `manual`: §2.2 step 3 (the override leaves the sender unresolved, with candidates to pick);
 * - `plain`: decisions that never reach step 8 (a duplicate, a folder match, the checks before it,
 *   compose): UnresolveSenderInCaseOfMultipleMatch still applies, the override (a step-8 rule) does not;
 * - `first-created`: outgoing email, where step 8 is skipped.
 */
type SenderPolicy = 'incoming' | 'manual' | 'plain' | 'first-created';

interface SenderOutcome {
  readonly sender: CrmRecord | null;
  readonly candidates: readonly CrmRecord[];
  /** §2.1 step 8: the org refuses to track automatically. */
  readonly refused: boolean;
  readonly matches: SenderResolution;
}

const CONTACT_ACCOUNT_LEAD: ReadonlySet<string> = new Set(['contact', 'account', 'lead']);
const INTERNAL_TYPES: ReadonlySet<string> = new Set(['systemuser', 'queue']);

// Settings objects are immutable and shared by every decision of a session: compute their
// effective values once, not per decision.
const effectiveCache = new WeakMap<Settings, EffectivePersonalOptions>();
function effectiveOptionsOf(settings: Settings): EffectivePersonalOptions {
  let options = effectiveCache.get(settings);
  if (!options) {
    options = effectivePersonalOptions(settings);
    effectiveCache.set(settings, options);
  }
  return options;
}

/** Decides one case. Pure: the same input gives the same decision, trace included. */
export function decide(input: DecisionInput): Decision {
  return new Decider(input).run();
}

class Decider {
  private readonly trace: string[] = [];
  private readonly options: EffectivePersonalOptions;
  private readonly match: AddressMatcher;
  private correlationDone = false;
  private correlation: Correlation | null = null;

  constructor(private readonly input: DecisionInput) {
    this.options = effectiveOptionsOf(input.settings);
    this.match = addressMatcher(input.index, this.options.recipientReconciliation.value);
  }

  run(): Decision {
    switch (this.input.action) {
      case 'incoming':
        return this.incoming();
      case 'track':
        return this.manualTrack();
      case 'compose':
        return this.compose();
    }
  }

  // §2.1
  private incoming(): Decision {
    const { email, settings, user } = this.input;
    const { organization: org, orgDb } = settings;
    const outgoing = email.direction === 'outgoing';

    const duplicate = this.duplicateCheck('§2.1 step 1');
    if (duplicate) return duplicate;

    if (!org.promoteIncomingEmail) {
      return this.notTracked(
        'PromotionDisabled',
        '§2.1 step 2: the organization does not promote incoming email (promoteIncomingEmail = false)',
      );
    }
    if (!this.options.backgroundTrackEmail.value) {
      return this.notTracked(
        'BackgroundTrackOff',
        '§2.1 step 2: checking incoming email is off for this user (backgroundTrackEmail = false)',
      );
    }
    this.trace.push('§2.1 step 2: email promotion is on and this user checks incoming email');

    if (!org.requireapprovalforuseremail)
      this.trace.push('§2.1 step 3: the organization does not require an approved mailbox');
    else if (user.mailboxApproved) this.trace.push('§2.1 step 3: the mailbox is approved');
    if (org.requireapprovalforuseremail && !user.mailboxApproved) {
      return this.notTracked(
        'MailboxNotApproved',
        '§2.1 step 3: the organization requires an approved mailbox and this one is not approved',
      );
    }

    const folder = email.folder.trim().toLowerCase();
    if (outgoing) {
      if (!(folder === 'sentitems' && orgDb.AutoTrackSentFolderItems)) {
        return this.notTracked(
          'NotIncoming',
          folder === 'sentitems'
            ? '§2.1 step 4: outgoing email in Sent Items is not evaluated (AutoTrackSentFolderItems = false)'
            : `§2.1 step 4: outgoing email in folder "${email.folder}" is not evaluated`,
        );
      }
      this.trace.push('§2.1 step 4: outgoing email in Sent Items is evaluated (AutoTrackSentFolderItems)');
    } else this.trace.push('§2.1 step 4: incoming email');

    const mapping = org.isfolderbasedtrackingenabled
      ? this.input.index.folderMappings.find((m) => m.folder.trim().toLowerCase() === folder)
      : undefined;
    if (mapping) {
      this.trace.push(
        `§2.1 step 5: folder "${email.folder}" is mapped to ${mapping.regarding.type} ${mapping.regarding.id}`,
      );
      return this.tracked('FolderMatch', mapping.regarding, this.resolveSender('plain'));
    }
    if (folder !== (outgoing ? 'sentitems' : 'inbox')) {
      return this.notTracked(
        'FolderNotTracked',
        `§2.1 step 5: folder "${email.folder}" is not evaluated${org.isfolderbasedtrackingenabled ? ' and has no folder mapping' : ''}`,
      );
    }
    this.trace.push(`§2.1 step 5: folder ${folder} is evaluated`);

    const senderAddress = email.from?.address ?? null;
    if (!isValidAddress(senderAddress)) {
      return this.notTracked(
        'InvalidSender',
        senderAddress
          ? `§2.1 step 6: "${senderAddress}" is not a valid email address`
          : '§2.1 step 6: the email has no sender address',
      );
    }

    this.trace.push(`§2.1 step 6: the sender ${senderAddress} is a valid address`);
    if (!org.ignoreinternalemail)
      this.trace.push(
        '§2.1 step 7: email between users is tracked like any other (ignoreinternalemail = false)',
      );
    if (org.ignoreinternalemail) {
      if (this.isInternalEmail()) {
        return this.notTracked(
          'InternalEmailReject',
          '§2.1 step 7: the sender and every recipient are users or queues (ignoreinternalemail)',
        );
      }
      this.trace.push('§2.1 step 7: not internal email (a party is not a user or queue)');
    }

    let sender: SenderOutcome;
    if (outgoing) {
      this.trace.push('§2.1 step 8: skipped for outgoing email');
      sender = this.resolveSender('first-created');
    } else {
      sender = this.resolveSender('incoming');
      if (sender.refused) {
        return this.decision(false, 'SenderConflict', { sender });
      }
    }

    const method = this.options.incomingemailfilteringmethod.value;
    const lockNote = this.options.incomingemailfilteringmethod.locked
      ? ' (locked by HideEmailAutoTrackOptions)'
      : '';
    switch (method) {
      case 0:
        this.trace.push(`§2.1 step 9: filtering method 0: all email is tracked${lockNote}`);
        return this.trackedWithCorrelation('AcceptAll', sender);
      case 1: {
        this.trace.push(`§2.1 step 9: filtering method 1: only responses to tracked email${lockNote}`);
        const correlation = this.correlate();
        return correlation
          ? this.trackedWithCorrelation('CorrelationMatch', sender)
          : this.decision(false, 'NoCorrelationMatch', { sender });
      }
      case 2:
      case 3: {
        const allowed = (type: string): boolean => method === 3 || CONTACT_ACCOUNT_LEAD.has(type);
        const kinds = method === 2 ? 'a contact, account or lead' : 'an email-enabled record';
        if (outgoing) {
          const match = this.recipientAddresses()
            .flatMap((address) => this.rawMatches(address))
            .find((record) => allowed(record.type));
          if (match) {
            this.trace.push(
              `§2.1 step 9: filtering method ${method}: recipient ${match.type} ${match.id} is ${kinds}${lockNote}`,
            );
            return this.trackedWithCorrelation('RecipientMatch', sender);
          }
          this.trace.push(`§2.1 step 9: filtering method ${method}: no recipient is ${kinds}${lockNote}`);
          return this.decision(false, 'RecipientNotMatched', { sender });
        }
        if (sender.sender && allowed(sender.sender.type)) {
          this.trace.push(
            `§2.1 step 9: filtering method ${method}: the sender is ${sender.sender.type} ${sender.sender.id}, ${kinds}${lockNote}`,
          );
          return this.trackedWithCorrelation('SenderMatch', sender);
        }
        this.trace.push(
          `§2.1 step 9: filtering method ${method}: the sender ${sender.sender ? `is a ${sender.sender.type}, not ${kinds}` : 'is not resolved to a record'}${lockNote}`,
        );
        return this.decision(false, 'SenderNotMatched', { sender });
      }
      case 4:
        return this.notTracked(
          'FilteringNone',
          `§2.1 step 9: filtering method 4: no email is tracked${lockNote}`,
          sender,
        );
    }
  }

  // §2.2
  private manualTrack(): Decision {
    const duplicate = this.duplicateCheck('§2.2 step 1');
    if (duplicate) return duplicate;
    const { orgDb } = this.input.settings;
    const chosen = this.input.regarding;
    if (orgDb.OverrideTrackInCrmBehaviour === 1 && !chosen) {
      this.trace.push(
        '§2.2 step 2: Track in CRM works as Set Regarding (OverrideTrackInCrmBehaviour = 1) and no record was chosen',
      );
      return this.decision(false, 'RegardingRequired', {
        sender: this.resolveSender('manual'),
        requiresRegarding: true,
      });
    }
    this.trace.push("§2.2 step 3: tracked at the user's request");
    const sender = this.resolveSender('manual');
    if (chosen) {
      // Correlated all the same: the activity records the email it correlates to (correlatedactivityid;
      // Dataverse's correlationmethod is read-only: not valid for create or update).
      this.correlate();
      this.trace.push(`§2.2 step 3: regarding the chosen ${chosen.type} ${chosen.id}`);
      return this.tracked('ManualTrack', chosen, sender);
    }
    return this.trackedWithCorrelation('ManualTrack', sender);
  }

  // §2.3
  private compose(): Decision {
    const { orgDb } = this.input.settings;
    const sender = this.resolveSender('plain');
    // §2.3 is about replies and forwards; a compose type of newMail is neither (unknown counts as one).
    if (orgDb.ClientDisableTrackingForReplyForwardEmails && this.input.email.composeType !== 'newMail') {
      return this.notTracked(
        'ReplyForwardTrackingDisabled',
        '§2.3 step 1: replies and forwards are not tracked automatically (ClientDisableTrackingForReplyForwardEmails)',
        sender,
      );
    }
    const correlation = this.correlate();
    if (!correlation) {
      this.trace.push('§2.3 step 3: the draft correlates to no tracked email');
      return this.decision(false, 'NoCorrelationMatch', { sender });
    }
    this.trace.push('§2.3 step 2: the draft is marked to be tracked when sent');
    return this.trackedWithCorrelation('CorrelationMatch', sender);
  }

  // ---- steps shared by the actions ----

  /** §2.1 step 1 / §2.2 step 1. */
  private duplicateCheck(step: string): Decision | null {
    const { email, user, settings } = this.input;
    const id = email.messageId ? normalizeMessageId(email.messageId) : '';
    if (!id) {
      this.trace.push(`${step}: the email has no Message-ID; not checked for duplicates`);
      return null;
    }
    const existing: readonly TrackedEmail[] = this.input.index.trackedByMessageId.get(id) ?? [];
    if (existing.length === 0) {
      this.trace.push(`${step}: no tracked email has Message-ID ${email.messageId}`);
      return null;
    }
    const mine = existing.find((t) => t.trackedBy !== null && t.trackedBy === user.id);
    if (mine) {
      this.trace.push(`${step}: this user already tracked it as ${mine.activityId}`);
      return this.duplicate(mine);
    }
    const first = existing[0] as TrackedEmail;
    if (!settings.orgDb.AllowPromoteDuplicates) {
      this.trace.push(`${step}: already tracked as ${first.activityId} and AllowPromoteDuplicates is false`);
      return this.duplicate(first);
    }
    this.trace.push(
      `${step}: tracked by another user as ${first.activityId}; AllowPromoteDuplicates lets this user track it again`,
    );
    return null;
  }

  private duplicate(existing: TrackedEmail): Decision {
    return this.decision(false, 'Duplicate', {
      sender: this.resolveSender(this.input.action === 'track' ? 'manual' : 'plain'),
      existingActivityId: existing.activityId,
    });
  }

  private correlate(): Correlation | null {
    if (!this.correlationDone) {
      this.correlationDone = true;
      const { email, settings, index } = this.input;
      this.correlation = correlate(email, settings, index, this.trace);
    }
    return this.correlation;
  }

  /** §2.1 step 10: regarding the correlated activity's regarding, else none. */
  private trackedWithCorrelation(reason: Reason, sender: SenderOutcome): Decision {
    const correlation = this.correlate();
    const regarding = correlation?.tracked.regarding ?? null;
    if (correlation && regarding)
      this.trace.push(
        `§2.1 step 10: regarding ${regarding.type} ${regarding.id}, from ${correlation.tracked.activityId}`,
      );
    else if (correlation)
      this.trace.push(
        `§2.1 step 10: ${correlation.tracked.activityId} has no regarding; tracked without regarding`,
      );
    else this.trace.push('§2.1 step 10: nothing correlates; tracked without regarding');
    return this.tracked(reason, regarding, sender);
  }

  private tracked(reason: Reason, regarding: RecordRef | null, sender: SenderOutcome): Decision {
    const create = this.recordToCreate(sender);
    return this.decision(true, reason, { sender, regarding, create });
  }

  private notTracked(reason: Reason, why: string, sender?: SenderOutcome): Decision {
    this.trace.push(why);
    return this.decision(false, reason, { sender: sender ?? this.resolveSender('plain') });
  }

  /** §2.1 step 8 and §2.2 step 3: the sender, settled by the organization's conflict rules. */
  private resolveSender(policy: SenderPolicy): SenderOutcome {
    const { email, settings } = this.input;
    const address = email.from && isValidAddress(email.from.address) ? email.from.address : null;
    const matches = senderMatches(address, this.match);
    if (matches.kind === 'none') {
      if (policy === 'incoming') this.trace.push('§2.1 step 8: the sender matches no record');
      return { sender: null, candidates: [], refused: false, matches };
    }
    if (matches.kind === 'resolved') {
      if (policy === 'incoming')
        this.trace.push(`§2.1 step 8: the sender is ${matches.record.type} ${matches.record.id}`);
      return { sender: matches.record, candidates: [], refused: false, matches };
    }
    const n = matches.candidates.length;
    const first = matches.candidates[0] as CrmRecord;
    const quiet = policy !== 'incoming';
    if ((policy === 'incoming' || policy === 'manual') && settings.orgDb.OverrideV5SenderConflictResolution) {
      if (!quiet)
        this.trace.push(
          `§2.1 step 8: the sender matches ${n} records and OverrideV5SenderConflictResolution is on: not tracked automatically`,
        );
      return { sender: null, candidates: matches.candidates, refused: policy === 'incoming', matches };
    }
    if (policy !== 'first-created' && settings.orgDb.UnresolveSenderInCaseOfMultipleMatch) {
      if (!quiet)
        this.trace.push(
          `§2.1 step 8: the sender matches ${n} records; it stays unresolved (UnresolveSenderInCaseOfMultipleMatch)`,
        );
      return { sender: null, candidates: [], refused: false, matches };
    }
    if (!quiet)
      this.trace.push(
        `§2.1 step 8: the sender matches ${n} records; ${first.type} ${first.id} was created first`,
      );
    return { sender: first, candidates: [], refused: false, matches };
  }

  /** §2.5. */
  private recordToCreate(sender: SenderOutcome): RecordToCreate[] {
    // A draft's sender is the user: records are created from the senders of email received (§2.5).
    if (this.input.action === 'compose') return [];
    const option = this.options.autocreatecontactonpromote;
    const from = this.input.email.from;
    if (sender.matches.kind !== 'none' || !from || !isValidAddress(from.address)) return [];
    if (option.value === 0) {
      if (option.locked && option.chosen !== 0)
        this.trace.push('§2.5: no record is created from the sender (AutoCreateContactOnPromote = false)');
      return [];
    }
    const type = option.value === 1 ? 'contact' : 'lead';
    const address = from.address.trim();
    const rawName = (from.name ?? '')
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim();
    const name = rawName.toLowerCase() === address.toLowerCase() ? '' : rawName;
    const space = name.lastIndexOf(' ');
    const firstname = name === '' || space < 0 ? null : name.slice(0, space).trim() || null;
    const lastname =
      name === '' ? address.slice(0, address.lastIndexOf('@')) : space < 0 ? name : name.slice(space + 1);
    this.trace.push(`§2.5: the sender matches no record; a ${type} is created for ${address}`);
    return [{ type, address, firstname, lastname }];
  }

  private recipientAddresses(): string[] {
    const { email } = this.input;
    return [...email.to, ...email.cc, ...email.bcc].map((a) => a.address);
  }

  private rawMatches(address: string): CrmRecord[] {
    return this.match(address).map((m) => m.record);
  }

  /** §2.1 step 7: every party's matches include a user or a queue. */
  private isInternalEmail(): boolean {
    const internal = (address: string): boolean =>
      this.rawMatches(address).some((r) => INTERNAL_TYPES.has(r.type));
    const sender = this.input.email.from?.address;
    return sender !== undefined && internal(sender) && this.recipientAddresses().every(internal);
  }

  private decision(
    track: boolean,
    reason: Reason,
    parts: {
      sender: SenderOutcome;
      regarding?: RecordRef | null;
      create?: RecordToCreate[];
      existingActivityId?: string;
      requiresRegarding?: boolean;
    },
  ): Decision {
    const { email, settings } = this.input;
    const correlation = track ? this.correlation : null;
    const create = parts.create ?? [];
    const createdSender = create[0];
    const sender: SenderRef | null = parts.sender.sender
      ? ref(parts.sender.sender)
      : createdSender
        ? { type: createdSender.type, id: null }
        : null;
    this.trace.push(`decision: ${track ? 'track' : 'do not track'} (${reason})`);
    return {
      track,
      reason,
      code: reasonCode(reason),
      existingActivityId: parts.existingActivityId ?? null,
      correlation: correlation
        ? { method: correlation.method, activityId: correlation.tracked.activityId }
        : null,
      regarding: track ? (parts.regarding ?? null) : null,
      sender,
      senderCandidates: parts.sender.candidates.map(ref),
      parties: resolveRecipients(
        email,
        this.match,
        settings.organization.unresolveemailaddressifmultiplematch,
      ),
      create,
      requiresRegarding: parts.requiresRegarding ?? false,
      trace: this.trace,
      parentTrackingToken:
        this.input.action === 'compose' && track && settings.organization.useTrackingToken
          ? (correlation?.tracked.trackingToken ?? null)
          : null,
    };
  }
}
