/**
 * Parts of the CRM code loaded when first used: chunks of the pane and commands.js (their initial
 * JavaScript is held to a budget), inlined into events.js (which loads no file). A chunk that cannot
 * load is the add-in's own host unreachable: a retryable network error, so a track is queued.
 */
import { networkError } from './errors';

export async function loadPart<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw networkError(
      `The add-in could not load part of itself (${error instanceof Error ? error.message : String(error)}).`,
      null,
    );
  }
}
