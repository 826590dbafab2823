/**
 * A surface's strings as React context. The default is English, so a component rendered without a
 * provider (a unit test, a chunk mounted early) still reads as the product does in English.
 */
import { createContext, useContext, type Context } from 'react';
import type { Strings } from './strings';

export interface StringsContext<K extends string> {
  readonly Context: Context<Strings<K>>;
  readonly useStrings: () => Strings<K>;
}

export function createStringsContext<K extends string>(english: Strings<K>): StringsContext<K> {
  const Context = createContext<Strings<K>>(english);
  return { Context, useStrings: () => useContext(Context) };
}
