/**
 * msg-id lists (RFC 5322 §3.6.4: Message-ID, In-Reply-To, References).
 *
 * (chosen) A msg-id is `<`, one or more characters that are not white space, `<` or `>`, then `>`.
 * This is looser than RFC 5322 (which wants dot-atoms around an `@`) on purpose: ids are only
 * compared for equality, and real ids such as `<Webklex/php-imap/issues/349@github.com>` must
 * survive. It is strict where it matters: a bare address (`someone@yahoo.com`) and an id broken by
 * white space (`<invalid.   something@bar.net>`) are not msg-ids. Ids are returned as written, with
 * their angle brackets. Comments in parentheses and separating commas (common, though not RFC)
 * are skipped.
 */

export interface MsgIdScan {
  readonly ids: string[];
  /** Bracketed candidates that are not msg-ids, and stray text, as written. */
  readonly invalid: string[];
}

const MSG_ID_BODY = /^[^\s<>]+$/;

export function isMsgId(text: string): boolean {
  return text.length > 2 && text.startsWith('<') && text.endsWith('>') && MSG_ID_BODY.test(text.slice(1, -1));
}

export function scanMsgIds(value: string): MsgIdScan {
  const ids: string[] = [];
  const invalid: string[] = [];
  let stray = '';
  const flushStray = (): void => {
    const s = stray.trim();
    if (s !== '') invalid.push(s);
    stray = '';
  };
  let i = 0;
  while (i < value.length) {
    const c = value[i] ?? '';
    if (c === '<') {
      flushStray();
      // scan to the next '>' or '<' (one pass, so the whole scan stays linear)
      let j = i + 1;
      while (j < value.length && value[j] !== '>' && value[j] !== '<') j++;
      if (value[j] !== '>') {
        const bad = value.slice(i, j).trim();
        if (bad !== '') invalid.push(bad);
        i = j;
        continue;
      }
      const candidate = value.slice(i, j + 1);
      if (isMsgId(candidate)) ids.push(candidate);
      else invalid.push(candidate);
      i = j + 1;
      continue;
    }
    if (c === '(') {
      // comment, possibly nested, with quoted-pairs
      let depth = 0;
      for (; i < value.length; i++) {
        const d = value[i];
        if (d === '\\') i++;
        else if (d === '(') depth++;
        else if (d === ')' && --depth === 0) break;
      }
      i++;
      continue;
    }
    if (c === ',' || /\s/.test(c)) {
      flushStray();
      i++;
      continue;
    }
    stray += c;
    i++;
  }
  flushStray();
  return { ids, invalid };
}
