/**
 * The admin page's state and actions, without Office or React: the components render `AdminState`
 * and call these actions. Reading is four port calls; saving is ONE `port.save` with only what
 * changed, so the port's all-or-nothing change set is the page's guarantee too.
 *
 * After a failed save the draft stays as typed (nothing the administrator entered is lost): a 403 says
 * which privilege is missing, a 412 says someone else saved and offers to read again.
 */
import type { CrmAdminPort, SyncMappingRow } from '../crm/adminPort';
import { CrmConflictError, CrmForbiddenError, CrmRequestError } from '../crm/errors';
import type { MappingDirection } from '../rules/syncTypes';
import {
  changesFrom,
  draftProblems,
  editDirection,
  editValue,
  hasChanges,
  loadSnapshot,
  storedDraft,
  useEnvironmentDefault,
  type AdminSnapshot,
  type Draft,
} from './adminModel';
import type { SampleId } from './preview';
import type { DraftValue, SettingDefinition } from './settingsCatalog';

export type SaveOutcome =
  | { readonly kind: 'saved' }
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

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

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
      this.updateReady((s) => ({ ...s, saving: false, outcome: failedSave(error) }));
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
}

function failedSave(error: unknown): SaveOutcome {
  if (error instanceof CrmForbiddenError) return { kind: 'forbidden', detail: error.message };
  if (error instanceof CrmConflictError) return { kind: 'conflict' };
  if (error instanceof CrmRequestError) return { kind: 'refused', detail: error.message };
  console.error('[Track in CRM] The admin page could not save', error);
  return { kind: 'failed', detail: message(error) };
}
