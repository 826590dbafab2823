/** A diagnostics log that records, and the use-case harness whose sessions carry it. */
import { withLog, type LoggedSession } from '../../src/app/diagnostics';
import type { DiagnosticsLog } from '../../src/app/ports';
import { harness as plainHarness, type Harness } from './fakes';

export class RecordingLog implements DiagnosticsLog {
  readonly lines: { message: string; error: unknown }[] = [];
  log(message: string, error?: unknown): void {
    this.lines.push({ message, error });
  }
  /** Every line's message, one per line, for `toMatch`. */
  text(): string {
    return this.lines.map((l) => l.message).join('\n');
  }
}

export interface LoggedHarness extends Omit<Harness, 'session'> {
  readonly log: RecordingLog;
  session(...args: Parameters<Harness['session']>): Promise<LoggedSession>;
}

/** test/support/fakes.ts's harness, its sessions given a recording diagnostics log. */
export function harness(): LoggedHarness {
  const h = plainHarness();
  const log = new RecordingLog();
  return { ...h, log, session: async (...args) => withLog(await h.session(...args), log) };
}
