/**
 * The parts of the pane that are not needed to show the first item state load as separate chunks
 * (the pane's initial JavaScript budget is 150 KB gzipped): the options and connection screens, the
 * record search, the untrack confirmation, Create contact/lead with its review form (and the offer's rules), the Background check tab, the Synchronization tab and a meeting's details. They are fetched in the background once the first
 * item state is on screen; a part already fetched renders at once (no Suspense fallback flash).
 */
import { createElement, lazy, type ComponentProps, type ComponentType } from 'react';
import type { AppointmentDetails } from './components/AppointmentDetails';
import type { BackgroundScreenProps } from './components/BackgroundScreen';
import type { ConnectionSectionProps } from './components/ConnectionSection';
import type { CreateRecordPartProps } from './components/CreateRecordPart';
import type { OptionsScreenProps } from './components/OptionsScreen';
import type { RegardingSearchProps } from './components/RegardingSearch';
import type { SyncScreenProps } from './components/SyncScreen';
import type { UntrackDialogProps } from './components/UntrackDialog';

interface LazyPart<P> {
  (props: P): ReturnType<typeof createElement>;
  preload(): Promise<unknown>;
}

function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>): LazyPart<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () => {
    loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = null; // try again on the next use
        throw error;
      },
    );
    return loading;
  };
  const Lazy = lazy(() => preload().then((component) => ({ default: component })));
  const Part = (props: P) => createElement((loaded ?? Lazy) as ComponentType<P>, props);
  return Object.assign(Part, { preload });
}

export const LazyOptionsScreen = lazyPart<OptionsScreenProps>(() =>
  import(/* webpackChunkName: "pane-options" */ './components/OptionsScreen').then((m) => m.OptionsScreen),
);
export const LazyConnectionSection = lazyPart<ConnectionSectionProps>(() =>
  import(/* webpackChunkName: "pane-connection" */ './components/ConnectionSection').then(
    (m) => m.ConnectionSection,
  ),
);
export const LazyRegardingSearch = lazyPart<RegardingSearchProps>(() =>
  import(/* webpackChunkName: "pane-search" */ './components/RegardingSearch').then((m) => m.RegardingSearch),
);
export const LazyUntrackDialog = lazyPart<UntrackDialogProps>(() =>
  import(/* webpackChunkName: "pane-untrack" */ './components/UntrackDialog').then((m) => m.UntrackDialog),
);
export const LazyCreateRecordPart = lazyPart<CreateRecordPartProps>(() =>
  import(/* webpackChunkName: "pane-create-record" */ './components/CreateRecordPart').then(
    (m) => m.CreateRecordPart,
  ),
);
export const LazyBackgroundScreen = lazyPart<BackgroundScreenProps>(() =>
  import(/* webpackChunkName: "pane-background" */ './components/BackgroundScreen').then(
    (m) => m.BackgroundScreen,
  ),
);
export const LazySyncScreen = lazyPart<SyncScreenProps>(() =>
  import(/* webpackChunkName: "pane-sync" */ './components/SyncScreen').then((m) => m.SyncScreen),
);

/**
 * A meeting's details on the item card: in the "meetings" chunk with the meeting reader and the
 * appointment use cases (boot.ts, itemUseCases.ts), which load when a meeting is first selected.
 */
export const LazyAppointmentDetails = lazyPart<ComponentProps<typeof AppointmentDetails>>(() =>
  import(/* webpackChunkName: "meetings" */ './components/AppointmentDetails').then(
    (m) => m.AppointmentDetails,
  ),
);

const PARTS = {
  options: LazyOptionsScreen,
  connection: LazyConnectionSection,
  search: LazyRegardingSearch,
  untrack: LazyUntrackDialog,
  'create record': LazyCreateRecordPart,
  'background check': LazyBackgroundScreen,
  synchronization: LazySyncScreen,
  meeting: LazyAppointmentDetails,
};

/** Fetches every lazy part now (a failure is logged; the part then loads, or fails visibly, on use). */
export function preloadLazyParts(): void {
  for (const [name, part] of Object.entries(PARTS))
    part
      .preload()
      .catch((error: unknown) => console.error(`[Track in CRM] Could not preload the ${name} screen`, error));
}
