/**
 * Reads the `orgdborgsettings` XML of the organizations row: `<OrgSettings><Name>value</Name>…</OrgSettings>`.
 *
 * Why a hand-written reader and not an XML library: src/rules imports nothing outside itself (it runs
 * unchanged in classic Outlook's JavaScript-only runtime, which has no DOMParser), and the format is
 * one flat level of elements. The reader is strict about what it accepts (balanced tags, one root,
 * no nested settings) because a half-read settings blob is worse than the defaults: any deviation is
 * an OrgDbOrgSettingsXmlError and the caller falls back to the defaults, loudly.
 */

export class OrgDbOrgSettingsXmlError extends Error {
  override readonly name = 'OrgDbOrgSettingsXmlError';
  constructor(
    message: string,
    /** Character offset in the XML where reading stopped. */
    readonly offset: number,
  ) {
    super(`orgdborgsettings XML is malformed at character ${offset}: ${message}`);
  }
}

/** Generous: Dataverse stores the blob in a memo column; anything this size is not a settings list. */
export const MAX_ORGDB_XML_LENGTH = 1_000_000;

/** An element name as the reader takes it (the writer refuses any other). */
export const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const NAME = SETTING_NAME;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string, offset: number): string {
  return text.replace(/&([^;&\s]*);?/g, (whole, body: string, at: number) => {
    if (!whole.endsWith(';')) throw new OrgDbOrgSettingsXmlError(`'&' not part of an entity`, offset + at);
    const named = ENTITIES[body];
    if (named !== undefined) return named;
    const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
    if (numeric) {
      const digits = numeric[1] as string;
      const code = digits.startsWith('x') ? parseInt(digits.slice(1), 16) : parseInt(digits, 10);
      if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    }
    throw new OrgDbOrgSettingsXmlError(`unknown entity '&${body};'`, offset + at);
  });
}

/**
 * Parses the XML into its settings, in document order. An empty or blank string is "no settings".
 * A name given twice keeps the last value (as the server's reader does: later wins).
 */
export function parseOrgDbOrgSettingsXml(xml: string): ReadonlyMap<string, string> {
  const settings = new Map<string, string>();
  if (xml.length > MAX_ORGDB_XML_LENGTH) {
    throw new OrgDbOrgSettingsXmlError(`longer than ${MAX_ORGDB_XML_LENGTH} characters`, 0);
  }
  if (xml.trim() === '') return settings;

  let pos = 0;
  const skipMisc = (): void => {
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(pos));
      pos += ws ? ws[0].length : 0;
      if (xml.startsWith('<?', pos)) {
        const end = xml.indexOf('?>', pos);
        if (end < 0) throw new OrgDbOrgSettingsXmlError('unterminated processing instruction', pos);
        pos = end + 2;
      } else if (xml.startsWith('<!--', pos)) {
        const end = xml.indexOf('-->', pos);
        if (end < 0) throw new OrgDbOrgSettingsXmlError('unterminated comment', pos);
        pos = end + 3;
      } else return;
    }
  };
  const readName = (): string => {
    const match = NAME.exec(xml.slice(pos, pos + 256));
    if (!match) throw new OrgDbOrgSettingsXmlError('expected an element name', pos);
    pos += match[0].length;
    return match[0];
  };
  /** Reads `<Name attr…>` or `<Name/>` after the '<'; returns the name and whether it closed itself. */
  const readStartTag = (): { name: string; selfClosing: boolean } => {
    const name = readName();
    const end = xml.indexOf('>', pos);
    if (end < 0) throw new OrgDbOrgSettingsXmlError(`unterminated tag <${name}`, pos);
    const rest = xml.slice(pos, end);
    if (rest.includes('<')) throw new OrgDbOrgSettingsXmlError(`unterminated tag <${name}`, pos);
    pos = end + 1;
    return { name, selfClosing: rest.trimEnd().endsWith('/') };
  };
  const expectEndTag = (name: string): void => {
    if (!xml.startsWith('</', pos)) throw new OrgDbOrgSettingsXmlError(`expected </${name}>`, pos);
    pos += 2;
    const closing = readName();
    if (closing !== name) throw new OrgDbOrgSettingsXmlError(`</${closing}> closes <${name}>`, pos);
    const gt = /^\s*>/.exec(xml.slice(pos));
    if (!gt) throw new OrgDbOrgSettingsXmlError(`expected '>' after </${name}`, pos);
    pos += gt[0].length;
  };

  skipMisc();
  if (xml[pos] !== '<') throw new OrgDbOrgSettingsXmlError('expected the <OrgSettings> element', pos);
  pos += 1;
  const root = readStartTag();
  if (root.name !== 'OrgSettings') {
    throw new OrgDbOrgSettingsXmlError(`the root element is <${root.name}>, not <OrgSettings>`, pos);
  }
  if (!root.selfClosing) {
    for (;;) {
      skipMisc();
      if (xml.startsWith('</', pos)) break;
      if (pos >= xml.length) throw new OrgDbOrgSettingsXmlError('<OrgSettings> is not closed', pos);
      if (xml[pos] !== '<') throw new OrgDbOrgSettingsXmlError('text outside a setting element', pos);
      pos += 1;
      const setting = readStartTag();
      if (setting.selfClosing) {
        settings.set(setting.name, '');
        continue;
      }
      const valueStart = pos;
      let value: string;
      if (xml.startsWith('<![CDATA[', pos)) {
        const end = xml.indexOf(']]>', pos);
        if (end < 0) throw new OrgDbOrgSettingsXmlError('unterminated CDATA section', pos);
        value = xml.slice(pos + 9, end);
        pos = end + 3;
      } else {
        const lt = xml.indexOf('<', pos);
        if (lt < 0) throw new OrgDbOrgSettingsXmlError(`<${setting.name}> is not closed`, pos);
        value = decodeEntities(xml.slice(pos, lt), valueStart);
        pos = lt;
      }
      if (!xml.startsWith('</', pos)) {
        throw new OrgDbOrgSettingsXmlError(`<${setting.name}> holds an element; settings are flat`, pos);
      }
      expectEndTag(setting.name);
      settings.set(setting.name, value.trim());
    }
    expectEndTag('OrgSettings');
  }
  skipMisc();
  if (pos < xml.length) throw new OrgDbOrgSettingsXmlError('content after </OrgSettings>', pos);
  return settings;
}
