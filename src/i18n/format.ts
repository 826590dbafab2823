/**
 * Dates, times and numbers in the user's locale, through Intl only: the pane and the admin page never
 * assemble a date by hand. Formatters are cached per locale and options, as Intl's construction is the
 * costly part.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

export interface Formats {
  readonly locale: string;
  /** 1 Dec 2026 / 1. Dez. 2026 */
  date(at: Date | string | number, options?: { timeZone?: string }): string;
  /** 14:05 in the locale's clock. */
  time(at: Date | string | number, options?: { seconds?: boolean; timeZone?: string }): string;
  /** Date and time together. */
  dateTime(at: Date | string | number, options?: { timeZone?: string }): string;
  number(value: number): string;
}

const toDate = (at: Date | string | number): Date => (at instanceof Date ? at : new Date(at));

/** An invalid date is shown as given (text from a header, say), never as "Invalid Date". */
const safely = (at: Date | string | number, format: (date: Date) => string): string => {
  const date = toDate(at);
  return Number.isNaN(date.getTime()) ? String(at) : format(date);
};

export function formatsFor(locale: string): Formats {
  const numbers = new Intl.NumberFormat(locale);
  return {
    locale,
    date: (at, options) =>
      safely(at, (d) =>
        dateTimeFormat(locale, { dateStyle: 'medium', timeZone: options?.timeZone }).format(d),
      ),
    time: (at, options) =>
      safely(at, (d) =>
        dateTimeFormat(locale, {
          hour: '2-digit',
          minute: '2-digit',
          ...(options?.seconds ? { second: '2-digit' } : {}),
          timeZone: options?.timeZone,
        }).format(d),
      ),
    dateTime: (at, options) =>
      safely(at, (d) =>
        dateTimeFormat(locale, {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone: options?.timeZone,
        }).format(d),
      ),
    number: (value) => numbers.format(value),
  };
}
