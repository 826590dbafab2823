/**
 * The Background check tab's words (background-check.md §1.1, §1.3, §1.6): why a cycle did not run,
 * naming the setting; when the next one runs; what was done with an action; its reason in the item
 * card's words.
 */
import { reasonMessage } from '../../../src/app/itemState';
import type { CycleCounts } from '../../../src/app/backgroundStatus';
import { REASON_TEXT } from '../../../src/rules/reasons';
import {
  ALREADY_TAGGED_TEXT,
  NOT_RUN_TEXT,
  actionReasonText,
  actionText,
  countRows,
  countsSentence,
  nextRunText,
  runText,
  folderText,
} from '../../../src/taskpane/controller/backgroundWords';
import { decisionWith } from '../../support/decisions';

const decision = decisionWith;

describe('§1.1 a cycle that did not run says why, naming the setting', () => {
  test.each([
    ['PromotionDisabled', 'tic_promoteIncomingEmail'],
    ['BackgroundTrackOff', '“Check incoming email and decide whether to track it”'],
    ['MailboxNotApproved', 'requireapprovalforuseremail'],
  ] as const)('%s names %s', (reason, setting) => {
    const text = runText(false, reason);
    expect(text).toBe(NOT_RUN_TEXT[reason]);
    expect(text.startsWith('Did not run: ')).toBe(true);
    expect(text).toContain(setting);
  });

  test('a check that ran says it finished, or that it did not when it stopped short', () => {
    expect(runText(true, 'Ran')).toBe('Finished');
    expect(runText(true, 'Ran', true)).toBe('Did not finish (see below)');
  });

  test.each([
    ['inbox', 'Inbox'],
    ['SentItems', 'Sent Items'],
    ['Inbox/Projects/Fabrikam', 'Inbox/Projects/Fabrikam'],
  ])('the folder %s is shown as %s', (folder, shown) => expect(folderText(folder)).toBe(shown));
});

describe('§1.6 the next run, counted when near and as a time of day when later', () => {
  const now = Date.UTC(2026, 0, 10, 9, 0, 0);
  const clock = (at: number) => new Date(at).toISOString().slice(11, 16);
  test.each([
    [null, 'None scheduled'],
    [0, 'Any moment now'],
    [-5_000, 'Any moment now'],
    [1, 'In about 5 s'],
    [38_000, 'In about 40 s'],
    [40_000, 'In about 40 s'],
    [56_000, 'In about 1 minute'],
    [61_000, 'In about 1 minute'],
    [5 * 60_000, 'In about 5 minutes'],
    [59 * 60_000, 'In about 59 minutes'],
    [75 * 60_000, 'At 10:15'],
  ])('%p ms ahead → %p', (ahead, words) => {
    expect(nextRunText(ahead === null ? null : now + ahead, now, clock)).toBe(words);
  });
});

describe('§1.6 the counts, in the order the spec names them', () => {
  const counts: CycleCounts = { lookedAt: 7, tracked: 3, tagged: 1, skipped: 2, deferred: 4, failed: 1 };
  test('rows', () => {
    expect(countRows(counts)).toEqual([
      ['Looked at', 7],
      ['Tracked', 3],
      ['Tagged', 1],
      ['Skipped', 2],
      ['Deferred', 4],
      ['Failed', 1],
    ]);
  });
  test('one sentence for a screen reader', () => {
    expect(countsSentence(counts)).toBe('7 looked at, 3 tracked, 1 tagged, 2 skipped, 4 deferred, 1 failed');
  });
});

describe('§1.3 what was done with an item, once performed', () => {
  test.each([
    ['track', 'done', 'Tracked'],
    ['tag', 'done', 'Tagged'],
    ['skip', 'done', 'Skipped'],
    ['none', 'done', 'Nothing to do'],
    ['track', 'queued', 'Waiting to be tracked (kept and tried again by itself)'],
    ['tag', 'retry', 'Not tagged yet (tried again at the next check)'],
  ] as const)('%s, %s → %s', (did, outcome, words) => {
    expect(actionText(did, outcome)).toBe(words);
  });
});

describe("an action's reason is in the item card's words", () => {
  test('the decision behind it, as the card says it (a conflicting sender counts its records)', () => {
    const conflict = decision({
      reason: 'SenderConflict',
      senderCandidates: [
        { type: 'contact', id: 'c1' },
        { type: 'lead', id: 'l1' },
      ],
    });
    expect(actionReasonText({ decision: conflict }, reasonMessage)).toBe(reasonMessage(conflict));
    expect(actionReasonText({ decision: conflict }, reasonMessage)).toContain('matches 2 records');
    const sender = decision({ track: true, reason: 'SenderMatch', code: 5 });
    expect(actionReasonText({ decision: sender }, reasonMessage)).toBe(REASON_TEXT.SenderMatch);
  });

  test('§1.3 step 1: an item already tagged had no decision', () => {
    expect(actionReasonText({ decision: null }, reasonMessage)).toBe(ALREADY_TAGGED_TEXT);
    expect(ALREADY_TAGGED_TEXT).toContain('Tracked to CRM');
  });
});

test('a tag not written because the item changed meanwhile is not worded as a failure', () => {
  expect(actionText('track', 'retry', null)).toBe(
    'Changed in the mailbox meanwhile (looked at again at the next check)',
  );
  expect(actionText('track', 'retry', 'The mailbox is busy; trying again later.')).toBe(
    'Not tagged yet (tried again at the next check)',
  );
});
