import type { EmailFacts } from '../rules/types';
import type { HeaderFacts } from './headers';

/**
 * Spec §6: when a raw header block is given, the fields it holds win over the structured fields
 * (Office.js's or a case's). Fields the block does not hold keep their structured value.
 */
export function mergeHeaderFacts(structured: EmailFacts, headers: HeaderFacts): EmailFacts {
  const { warnings: _warnings, ...fields } = headers;
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { ...structured, ...present };
}
