/**
 * Create contact/lead from the pane: the CRM calls behind the review form (create, and the parent
 * account search). Loaded with the form (a chunk, not the pane's first JavaScript): nothing here runs
 * before the user opens it. Failures are worded per VerboseErrorsOnPromoteToCRM and logged.
 */
import type { LoggedSession as Session } from '../../app/diagnostics';
import type { ItemState } from '../../app/itemState';
import type { ItemSnapshot } from '../../app/ports';
import type { RecordFormRecord } from '../../app/recordForm';
import type { PaneCore } from './paneCore';
import type { AccountSearchResult, CreateRecordResult } from './types';

/** How many accounts the parent-account picker shows. */
const ACCOUNTS_SHOWN = 10;

/**
 * What the pane's first JavaScript already has, handed in rather than imported: a chunk importing a
 * module of the first bundle makes webpack keep that module apart (its exports by name), which costs
 * the first bundle more than these few calls.
 */
export interface RecordActionDeps {
  readonly core: PaneCore;
  /** One action on the selected read item (ItemActions.act): progress, the result shown. */
  act(
    label: string,
    what: string,
    work: (session: Session, item: ItemSnapshot, shown: ItemState) => Promise<ItemState>,
  ): Promise<void>;
  /** The item checked again (itemOpened). */
  recheck(session: Session, item: ItemSnapshot): Promise<ItemState>;
  /** A failure in the user's words, per VerboseErrorsOnPromoteToCRM. */
  words(error: unknown): string;
}

/**
 * The form's record created and the item checked again (the sender now resolves); the form's
 * confirmation is what is announced (its status line), the item's new state after it. A
 * refused create leaves the item as shown: the form says why, and the user can correct and retry.
 */
export async function createSenderRecord(
  { core, act, recheck, words }: RecordActionDeps,
  record: RecordFormRecord,
): Promise<CreateRecordResult> {
  const t = core.t;
  const lead = record.type === 'lead';
  const what = t(lead ? 'item.couldNotCreateLead' : 'item.couldNotCreateContact');
  if (!core.host || core.state.item.kind !== 'read')
    return { ok: false, message: t('item.failedWith', { what, error: t('item.notConnectedToCrm') }) };
  let outcome: CreateRecordResult | null = null;
  const label = t(lead ? 'item.busyCreatingLead' : 'item.busyCreatingContact');
  await act(label, what, async (session, snapshot, shown) => {
    try {
      outcome = { ok: true, record: await session.crm.createRecord(record) };
    } catch (error) {
      core.log(`${what} for item ${snapshot.itemId}`, error);
      outcome = { ok: false, message: t('item.failedWith', { what, error: words(error) }) };
      return shown;
    }
    return recheck(session, snapshot);
  });
  // `act` runs nothing while another action runs or once another email is selected.
  return (
    outcome ?? {
      ok: false,
      message: t('item.failedWith', { what, error: t('item.createNotRun') }),
    }
  );
}

/** Accounts by name for a contact's parent account; a failure is worded, logged, and shown there. */
export async function searchAccounts(
  { core, words }: RecordActionDeps,
  text: string,
): Promise<AccountSearchResult> {
  const host = core.host;
  if (!host) return { error: core.t('item.notConnectedToCrm') };
  try {
    const found = await host.session.crm.findRecords(text, { types: ['account'], top: ACCOUNTS_SHOWN });
    return { accounts: found.hits.map((hit) => ({ id: hit.id, name: hit.name })), more: found.more };
  } catch (error) {
    core.log(`Account search failed for "${text}"`, error);
    return { error: core.t('item.searchFailed', { error: words(error) }) };
  }
}
