/**
 * The admin page's state and actions, without Office or React: the components render `AdminState`
 * and call these actions. Reading is four port calls; saving is ONE `port.save` with only what
 * changed, so the port's all-or-nothing change set is the page's guarantee too.
 *
 * After a failed save the draft stays as typed (nothing the administrator entered is lost): a 403 says
 * which privilege is missing, a 412 says someone else saved and offers to read again.
 *
 * A save whose answer is lost (the connection dropped, a timeout) may have been written: the change
 * set commits or not as a whole, but the page cannot know which. It reads the organization again and
 * says what is true: saved when what it reads is what was typed, else which settings differ, with the
 * draft kept over the fresh read (so saving again sends the fresh etags, not a 412 against itself).
 */
import type { CrmAdminPort, SyncMappingRow } from '../crm/adminPort';
import {
  CrmAuthError,
  CrmConflictError,
  CrmForbiddenError,
  CrmNotFoundError,
  CrmRequestError,
  CrmUnavailableError,
} from '../crm/errors';
import type { MappingDirection } from '../rules/syncTypes';
import {
  changesFrom,
  differencesAfterRead,
  draftOver,
  draftProblems,
  editDirection,
  editValue,
  hasChanges,
  loadSnapshot,
  storedDraft,
  useEnvironmentDefault,
  type AdminSnapshot,
  type Difference,
  type Draft,
} from './adminModel';
import type { SampleId } from './preview';
import type { DraftValue, SettingDefinition } from './settingsCatalog';

export type SaveOutcome =
  | { readonly kind: 'saved' }
  /** The answer was lost, but what was read again is what was typed. */
  | { readonly kind: 'savedAnswerLost' }
  /** The answer was lost and what was read again differs from what was typed (the draft is kept). */
  | {
      readonly kind: 'differsAnswerLost';
      readonly detail: string;
      readonly differences: readonly Difference[];
    }
  /** The answer was lost and the organization could not be read again: nobody knows yet. */
  | { readonly kind: 'unknownAnswerLost'; readonly detail: string }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'forbidden'; readonly detail: string }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'refused'; readonly detail: string }
  | { readonly kind: 'failed'; readonly detail: string };

export type AdminState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'failed'; readonly detail: string }
  | {
      readonly phase: 'ready';
      readonly snapshot: AdminSnapshot;
      readonly draft: Draft;
      readonly saving: boolean;
      readonly outcome: SaveOutcome | null;
      readonly sample: SampleId;
    };

export interface AdminActions {
  edit(definition: SettingDefinition, value: DraftValue): void;
  useDefault(definition: SettingDefinition): void;
  setDirection(mapping: SyncMappingRow, direction: MappingDirection): void;
  chooseSample(sample: SampleId): void;
  discard(): void;
  save(): Promise<void>;
  reload(): Promise<void>;
}

/** An error's text as a part of a sentence: the page's messages end their own sentences. */
const message = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).trim().replace(/[.。]+$/u, '');

/**
 * Errors with an answer from the CRM, whose change set was therefore not written (Dataverse answers a
 * $batch change set after it commits or rolls back). Anything else (no answer, an answer the adapter
 * could not read, an unexpected error) may have been written (chosen: a 429/503 is an answer too).
 */
const answered = (error: unknown): boolean =>
  error instanceof CrmForbiddenError ||
  error instanceof CrmConflictError ||
  error instanceof CrmRequestError ||
  error instanceof CrmAuthError ||
  error instanceof CrmNotFoundError ||
  error instanceof CrmUnavailableError;

export class AdminController implements AdminActions {
  private state: AdminState = { phase: 'loading' };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly port: CrmAdminPort) {}

  readonly getState = (): AdminState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(state: AdminState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }

  private updateReady(change: (ready: Extract<AdminState, { phase: 'ready' }>) => AdminState): void {
    if (this.state.phase === 'ready') this.set(change(this.state));
  }

  private readOnly(): boolean {
    return this.state.phase === 'ready' && !this.state.snapshot.access.canWriteOrganization;
  }

  async reload(): Promise<void> {
    const sample = this.state.phase === 'ready' ? this.state.sample : 'replyToTracked';
    this.set({ phase: 'loading' });
    try {
      const snapshot = await loadSnapshot(this.port);
      this.set({
        phase: 'ready',
        snapshot,
        draft: storedDraft(snapshot),
        saving: false,
        outcome: null,
        sample,
      });
    } catch (error) {
      console.error('[Track in CRM] The admin page could not read the organization', error);
      this.set({ phase: 'failed', detail: message(error) });
    }
  }

  edit(definition: SettingDefinition, value: DraftValue): void {
    if (this.readOnly()) return;
    this.updateReady((s) => ({ ...s, draft: editValue(s.draft, definition, value), outcome: null }));
  }

  useDefault(definition: SettingDefinition): void {
    if (this.readOnly()) return;
    this.updateReady((s) => ({
      ...s,
      draft: useEnvironmentDefault(s.draft, s.snapshot, definition),
      outcome: null,
    }));
  }

  setDirection(mapping: SyncMappingRow, direction: MappingDirection): void {
    if (this.readOnly()) return;
    this.updateReady((s) => ({ ...s, draft: editDirection(s.draft, mapping, direction), outcome: null }));
  }

  chooseSample(sample: SampleId): void {
    this.updateReady((s) => ({ ...s, sample }));
  }

  discard(): void {
    this.updateReady((s) => ({ ...s, draft: storedDraft(s.snapshot), outcome: null }));
  }

  async save(): Promise<void> {
    const state = this.state;
    if (state.phase !== 'ready' || state.saving || this.readOnly()) return;
    if (draftProblems(state.snapshot, state.draft).size > 0) {
      this.set({ ...state, outcome: { kind: 'invalid' } });
      return;
    }
    const changes = changesFrom(state.snapshot, state.draft);
    if (!hasChanges(changes)) return;
    this.set({ ...state, saving: true, outcome: null });
    try {
      await this.port.save(changes);
    } catch (error) {
      if (error instanceof CrmConflictError || !answered(error)) {
        await this.settleUncertain(state.snapshot, state.draft, error);
      } else {
        this.updateReady((s) => ({ ...s, saving: false, outcome: failedSave(error) }));
      }
      return;
    }
    try {
      const snapshot = await loadSnapshot(this.port);
      this.updateReady((s) => ({
        ...s,
        snapshot,
        draft: storedDraft(snapshot),
        saving: false,
        outcome: { kind: 'saved' },
      }));
    } catch (error) {
      // Saved, but not read back: the page says so rather than show what it can no longer vouch for.
      console.error('[Track in CRM] Saved, but the organization could not be read again', error);
      this.set({ phase: 'failed', detail: message(error) });
    }
  }

  /**
   * A lost answer, or a 412 that may be this page's own earlier save whose answer was lost: read
   * again and compare what was typed with what is stored. A 412 whose read differs stays a conflict
   * (someone else did save); a lost answer whose read differs keeps the draft over the fresh read.
   */
  private async settleUncertain(before: AdminSnapshot, draft: Draft, error: unknown): Promise<void> {
    const conflict = error instanceof CrmConflictError;
    if (!conflict) console.error('[Track in CRM] The admin page got no answer to its save', error);
    let after: AdminSnapshot;
    try {
      after = await loadSnapshot(this.port);
    } catch (readError) {
      console.error('[Track in CRM] The organization could not be read again after a save', readError);
      const outcome: SaveOutcome = conflict
        ? { kind: 'conflict' }
        : { kind: 'unknownAnswerLost', detail: message(error) };
      this.updateReady((s) => ({ ...s, saving: false, outcome }));
      return;
    }
    const differences = differencesAfterRead(before, draft, after);
    if (differences.length === 0) {
      const outcome: SaveOutcome = conflict ? { kind: 'saved' } : { kind: 'savedAnswerLost' };
      this.updateReady((s) => ({ ...s, snapshot: after, draft: storedDraft(after), saving: false, outcome }));
      return;
    }
    if (conflict) {
      this.updateReady((s) => ({ ...s, saving: false, outcome: { kind: 'conflict' } }));
      return;
    }
    this.updateReady((s) => ({
      ...s,
      snapshot: after,
      draft: draftOver(after, differences, draft),
      saving: false,
      outcome: { kind: 'differsAnswerLost', detail: message(error), differences },
    }));
  }
}

function failedSave(error: unknown): SaveOutcome {
  if (error instanceof CrmForbiddenError) return { kind: 'forbidden', detail: message(error) };
  if (error instanceof CrmConflictError) return { kind: 'conflict' };
  if (error instanceof CrmRequestError) return { kind: 'refused', detail: message(error) };
  console.error('[Track in CRM] The admin page could not save', error);
  return { kind: 'failed', detail: message(error) };
}
