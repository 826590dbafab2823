/**
 * Targets a finger can hit in Outlook mobile's pane (and on any touch screen): Fluent's controls are
 * sized for a mouse (32 px buttons and fields, 24 px small buttons), below the 44 × 44 CSS px Apple and
 * Microsoft's touch guidance ask for (WCAG 2.5.5). On a coarse pointer only, the pane's buttons, tabs,
 * fields, selects and list options are made at least 44 px high; a mouse keeps Fluent's density.
 * (chosen) Height only: widths already span the text, and a 360 px phone has no room to widen them.
 * Fluent's `fui-*` class names are its documented static hooks; the pane's root raises specificity
 * above Fluent's single atomic classes.
 */
import { makeStaticStyles } from '@fluentui/react-components';

const PANE = '[data-testid="pane"]';
const TOUCH_TARGET = '44px';

export const useTouchTargets = makeStaticStyles(`
@media (pointer: coarse) {
  ${PANE} button,
  ${PANE} [role="tab"],
  ${PANE} [role="option"],
  ${PANE} .fui-Input__input {
    min-height: ${TOUCH_TARGET};
  }
  ${PANE} [role="option"] {
    justify-content: center;
  }
  ${PANE} .fui-Select__select {
    height: ${TOUCH_TARGET};
  }
}
`);
