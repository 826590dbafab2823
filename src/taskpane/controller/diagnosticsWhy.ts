/**
 * "Why?" (issue 13): a decision's trace (tracking.md §2, §3, as src/rules writes it) grouped by the
 * step of the spec each line belongs to, each step with a plain question for a title, in the user's
 * language. The line's detail stays as the rules wrote it (record ids, Message-IDs, setting names):
 * that is what support compares with `track-in-crm explain`, and it names things no translation
 * should rename.
 */
import type { PaneKey } from '../strings';

type Translate = (key: PaneKey, params?: Readonly<Record<string, string | number>>) => string;

export interface WhyStep {
  /** The step's key: `incoming1`, `correlation2`, `decision`, … */
  readonly id: string;
  readonly title: string;
  /** The spec's section the lines came from (`§2.1 step 1`), null for settings and other notes. */
  readonly rule: string | null;
  readonly details: readonly string[];
}

const ACTION_STEP: Readonly<Record<string, string>> = { '2.1': 'incoming', '2.2': 'track', '2.3': 'compose' };
const STEP_COUNT: Readonly<Record<string, number>> = { incoming: 10, track: 3, compose: 3 };

/** The prefixes the rules and the explain command write: `§2.1 step 4:`, `§3.2:`, `settings:`, `decision:`. */
const PREFIX = /^(?:§(\d+(?:\.\d+)?)(?: step (\d+))?|(settings|headers|decision)):\s*/;

/** Which step a line belongs to, the rule it names, and its detail without the prefix. */
export function stepOfLine(line: string): { id: string; rule: string | null; detail: string } {
  const match = PREFIX.exec(line);
  if (!match) return { id: 'other', rule: null, detail: line };
  const [prefix, section, step, word] = match;
  const detail = line.slice(prefix.length);
  if (word) return { id: word, rule: null, detail };
  const rule = prefix.replace(/:\s*$/, '');
  const action = section ? ACTION_STEP[section] : undefined;
  if (action && step && Number(step) >= 1 && Number(step) <= (STEP_COUNT[action] ?? 0))
    return { id: `${action}${step}`, rule, detail };
  if (section === '2.4') return { id: 'parties', rule, detail };
  if (section === '2.5') return { id: 'create', rule, detail };
  if (section === '3') return { id: 'correlation', rule, detail };
  const correlation = section ? /^3\.([1-5])$/.exec(section) : null;
  if (correlation) return { id: `correlation${correlation[1]}`, rule, detail };
  return { id: 'other', rule, detail: line };
}

/** The title key of a step id (`incoming1` → `diagnostics.stepIncoming1`). */
const titleKey = (id: string): PaneKey =>
  `diagnostics.step${id.charAt(0).toUpperCase()}${id.slice(1)}` as PaneKey;

/** Consecutive lines of one step are one step of the view; a step the trace comes back to is shown again. */
export function whySteps(trace: readonly string[], t: Translate): WhyStep[] {
  const steps: { id: string; rule: string | null; details: string[] }[] = [];
  for (const line of trace) {
    const { id, rule, detail } = stepOfLine(line);
    const last = steps.at(-1);
    if (last && last.id === id && last.rule === rule) last.details.push(detail);
    else steps.push({ id, rule, details: [detail] });
  }
  return steps.map((step) => ({ ...step, title: t(titleKey(step.id)) }));
}
