/** The pane's strings: `usePaneStrings()` in components; the controller is handed the same object. */
import { createStringsContext } from '../i18n/react';
import { englishPaneStrings, type PaneKey } from '../i18n/surfaces';

export type { PaneKey, PaneStrings } from '../i18n/surfaces';

const pane = createStringsContext<PaneKey>(englishPaneStrings);

export const PaneStringsContext = pane.Context;
export const usePaneStrings = pane.useStrings;
