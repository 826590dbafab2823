/**
 * The one control (lazySync.ts) the Synchronization tab and the Options' synchronization part follow
 * for the pane's synchronization: made when first asked, in their chunks, never in the first bundle.
 */
import { lazyPaneSync } from '../../host/lazySync';
import type { PaneSyncAccess, PaneSyncControl } from './syncAccess';

const controls = new WeakMap<object, PaneSyncControl>();

/** The control over the pane's synchronization, or null where it has none. */
export function syncControlOf(access: PaneSyncAccess | null): PaneSyncControl | null {
  if (!access?.load) return null;
  let control = controls.get(access);
  if (!control) controls.set(access, (control = lazyPaneSync(access.load, access.log)));
  return control;
}
