/**
 * The diagnostics log of every runtime: the console, which Outlook's developer tools show (and the
 * JavaScript-only runtime of classic Outlook writes to its runtime log). One prefix, so support can
 * filter the add-in's lines from Outlook's own.
 */
import type { DiagnosticsLog } from '../app/ports';

export const consoleDiagnosticsLog: DiagnosticsLog = {
  log(message, error) {
    if (error === undefined) console.error(`[Track in CRM] ${message}`);
    else console.error(`[Track in CRM] ${message}`, error);
  },
};
