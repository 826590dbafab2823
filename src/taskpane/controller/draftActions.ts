/**
 * The user's actions on a draft (the compose card): Track in CRM, as the ribbon marks a draft
 * (trackDraft; the search first when the organization requires a regarding record), Cancel
 * tracking, and Track again after it. Progress after 300 ms; a failure is said on the card.
 */
import { cancelDraftTracking } from '../../app/composeUseCases';
import { trackDraft, type ChosenRecord } from '../../app/draftTracking';
import { errorText, userFacingError } from '../../app/itemState';
import type { PaneCore } from './paneCore';
import { notTrackedDraft, type SelectionModel } from './selectionModel';

export class DraftActions {
  constructor(
    private readonly core: PaneCore,
    private readonly selection: SelectionModel,
    private readonly openSearch: (message: string) => void,
  ) {}

  /** Compose: do not track this draft when it is sent. */
  async cancelDraftTracking(): Promise<void> {
    const core = this.core;
    const host = core.host;
    const item = core.state.item;
    if (core.state.busy || !host || item.kind !== 'compose') return;
    const done = core.beginBusy(core.t('item.busyCancelling'));
    try {
      await cancelDraftTracking(host.session);
      if (item.itemId) this.selection.cancelledDrafts.add(item.itemId);
      const state = notTrackedDraft();
      if (core.state.item.kind === 'compose' && core.state.item.itemId === item.itemId)
        core.set({ item: { ...item, state }, ...core.announce(state.message) });
    } catch (error) {
      core.log('Could not cancel tracking of the draft', error);
      const text = core.t('item.couldNotCancel', { error: errorText(userFacingError(error), core.verbose) });
      core.set({ item: { ...item, state: { ...item.state, message: text } }, ...core.announce(text) });
    } finally {
      done();
    }
  }

  /**
   * Compose: Track in CRM on the draft, as the ribbon marks it (trackDraft): tracked when sent. When
   * the organization requires a regarding record the search opens first, and the record chosen
   * there marks the draft (chooseRegarding). Also "Track again" after Cancel tracking.
   */
  async trackDraft(regarding: ChosenRecord | null = null): Promise<void> {
    const core = this.core;
    const host = core.host;
    const item = core.state.item;
    if (core.state.busy || !host || item.kind !== 'compose') return;
    const done = core.beginBusy(core.t('item.busyTracking'));
    const stillShown = () => core.state.item.kind === 'compose' && core.state.item.itemId === item.itemId;
    try {
      const result = await trackDraft(host.session, regarding ? { regarding } : {});
      if (result.marked && item.itemId) this.selection.cancelledDrafts.delete(item.itemId);
      if (result.mark && result.regardingName)
        this.selection.nameDraftRegarding(result.mark.id, result.regardingName);
      if (!stillShown()) return;
      if (result.status === 'needs-regarding') {
        // The search's first words when the organization requires a regarding record first.
        const needs = core.t('item.draftNeedsRegarding');
        core.set({
          item: { ...item, state: { ...item.state, message: needs } },
          ...core.announce(needs),
        });
        this.openSearch(needs);
        return;
      }
      const named = result.marked && result.mark?.regarding ? result.regardingName : null;
      core.set({
        item: { ...item, state: result, regardingName: named },
        ...core.announce(result.message),
      });
    } catch (error) {
      core.log('Could not mark the draft to be tracked', error);
      const text = core.t('item.notMarked', { error: errorText(userFacingError(error), core.verbose) });
      if (stillShown())
        core.set({ item: { ...item, state: { ...item.state, message: text } }, ...core.announce(text) });
    } finally {
      done();
    }
  }
}
