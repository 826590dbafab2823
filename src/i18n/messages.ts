/**
 * Messages and their lookup. A message is text with named placeholders, `{name}`; a message that counts
 * comes in plural forms under `key_one`, `key_other` (and `key_zero`/`key_two`/`key_few`/`key_many`
 * where a language needs them), picked by Intl.PluralRules for the `count` parameter. Lookups name the
 * key without its plural suffix.
 *
 * A missing message is a defect the resource test catches; at run time it shows the key, never nothing,
 * so a screen is still usable and the defect is visible.
 */
export type MessageTable = Readonly<Record<string, string>>;
export type MessageParams = Readonly<Record<string, string | number>>;

export const PLURAL_SUFFIXES = ['_zero', '_one', '_two', '_few', '_many', '_other'] as const;

/** The key a lookup names: the resource key without its plural suffix. */
export type LookupKey<K extends string> =
  K extends `${infer Base}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? Base : K;

export type Translate<K extends string = string> = (key: K, params?: MessageParams) => string;

const PLACEHOLDER = /\{(\w+)\}/g;

/** The placeholders a message uses, for the resource test: a translation must use the same ones. */
export const placeholdersOf = (message: string): string[] =>
  [...message.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '').sort();

export function createTranslate<K extends string>(
  table: MessageTable,
  locale: string,
  onMissing: (key: string) => void = () => undefined,
): Translate<K> {
  const plurals = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  return (key, params) => {
    let message = table[key];
    const count = params?.count;
    if (message === undefined && typeof count === 'number') {
      message =
        table[`${key}_${count === 0 && `${key}_zero` in table ? 'zero' : plurals.select(count)}`] ??
        table[`${key}_other`];
    }
    if (message === undefined) {
      onMissing(key);
      return key;
    }
    if (!params) return message;
    return message.replace(PLACEHOLDER, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
}
