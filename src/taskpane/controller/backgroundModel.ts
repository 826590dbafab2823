/**
 * The Background check tab's status part: follows the runner (BackgroundCheckControl) into the pane
 * state, and "Check now" with what a screen reader hears (that it started, then how it ended). The
 * runner does the work in its own time: nothing here waits for a cycle, so the pane never blocks.
 */
import type { BackgroundCheckControl, BackgroundStatus } from '../../app/backgroundStatus';
import type { Translate } from '../../i18n/messages';
import { englishPaneStrings, type PaneKey } from '../../i18n/surfaces';
import { countsSentence, runText } from './backgroundWords';
import type { PaneCore } from './paneCore';
import type { BackgroundTabView } from './types';

type PaneTranslate = Translate<PaneKey>;

/** In English: the default the host may replace (core.options.backgroundUnavailable), and the tests'. */
export const NO_BACKGROUND_CHECK = englishPaneStrings.t('background.unavailableNoGraph');

/** The words a screen reader hears when the check the user asked for is over. */
export function checkEndedText(status: BackgroundStatus, t: PaneTranslate = englishPaneStrings.t): string {
  if (status.lastError) return t('background.checkCouldNotFinish', { error: status.lastError });
  const last = status.lastCycle;
  if (!last) return t('background.checkOver');
  return last.ran
    ? t('background.checkDone', { counts: countsSentence(last.counts, t) })
    : runText(last.ran, last.reason, false, t);
}

export class BackgroundModel {
  private readonly stop: () => void;
  /** A Check now waiting to be announced as over: when it was asked, and whether a cycle ran since. */
  private asked: { at: number; sawRun: boolean } | null = null;

  constructor(
    private readonly core: PaneCore,
    private readonly control: BackgroundCheckControl | undefined,
  ) {
    this.stop = control?.subscribe((status) => this.show(status)) ?? (() => undefined);
  }

  /** The tab's status part before any news from the runner. */
  initial(): Pick<BackgroundTabView, 'status' | 'unavailable'> {
    return this.control
      ? { status: this.control.status(), unavailable: null }
      : {
          status: null,
          unavailable:
            this.core.options.backgroundUnavailable ?? this.core.t('background.unavailableNoGraph'),
        };
  }

  /** Runs a cycle now (or right after the one under way: the runner never runs two at once). */
  checkNow(): void {
    if (!this.control) return;
    this.asked = { at: Date.now(), sawRun: false };
    this.core.set(this.core.announce(this.core.t('background.checkingNow')));
    this.control.checkNow();
  }

  dispose(): void {
    this.stop();
  }

  private show(status: BackgroundStatus): void {
    const tab = this.core.state.background;
    if (!tab) return;
    let said = {};
    const asked = this.asked;
    if (asked && status.phase === 'running') asked.sawRun = true;
    else if (asked && (asked.sawRun || (status.lastCycle?.startedAt ?? -1) >= asked.at)) {
      this.asked = null;
      said = this.core.announce(checkEndedText(status, this.core.t));
    }
    this.core.set({ background: { ...tab, status }, ...said });
  }
}
