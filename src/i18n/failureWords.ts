/**
 * What a typed failure says to the user, as a message of the `app` namespace rather than as English
 * text: each surface (pane, ribbon, event handlers) says it in its display language. The English is
 * kept as `shortMessage` too, for the logs and for callers that have no language of their own.
 */
import english from './resources/en/app.json';
import { createTranslate, type LookupKey, type MessageParams } from './messages';

/** A message of the `app` namespace, named without its namespace (nor a plural suffix). */
export type AppMessageName = LookupKey<keyof typeof english>;

export interface WordedFailure {
  readonly shortKey: AppMessageName;
  readonly shortParams?: MessageParams;
}

const englishMessages = createTranslate<AppMessageName>(english, 'en-US');

export const englishShortMessage = (failure: WordedFailure): string =>
  englishMessages(failure.shortKey, failure.shortParams);

export const isWordedFailure = (error: unknown): error is WordedFailure =>
  typeof (error as Partial<WordedFailure> | null)?.shortKey === 'string';
