/**
 * Writes the `orgdborgsettings` XML for the admin page. Its own file, apart from the reader
 * (orgDbOrgSettingsXml.ts), because the reader ships in events.js, whose 40 KB budget is hard and whose
 * minifier keeps an unused export of a module it includes: only the admin page imports this one.
 */
import { OrgDbOrgSettingsXmlError, parseOrgDbOrgSettingsXml, SETTING_NAME } from './orgDbOrgSettingsXml';

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The stored XML with `changes` applied: every setting it held, known or not, keeps its value and
 * its place; a changed name takes its new value where it was; a new name is added at the end.
 * `parseOrgDbOrgSettingsXml(write(xml, changes))` is the stored settings with the changes over them.
 *
 * The XML is written again from what was read rather than patched as text (chosen): patching would
 * have to re-find elements past comments and CDATA, which is what the reader already did; what is
 * lost is only what carries no setting (comments, the XML declaration, a repeated name's earlier
 * values that the server ignores anyway, later wins). Values are trimmed, as the reader reads them.
 * A stored XML the reader refuses is an OrgDbOrgSettingsXmlError here too: the caller decides, never
 * a silent overwrite of settings it could not read.
 */
export function writeOrgDbOrgSettingsXml(
  storedXml: string,
  changes: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): string {
  const settings = new Map(parseOrgDbOrgSettingsXml(storedXml));
  const entries = changes instanceof Map ? [...changes] : Object.entries(changes);
  for (const [name, value] of entries) {
    if (SETTING_NAME.exec(name)?.[0] !== name) {
      throw new OrgDbOrgSettingsXmlError(`'${name}' is not a setting name`, 0);
    }
    settings.set(name, value.trim());
  }
  const body = [...settings].map(([name, value]) => `<${name}>${escapeText(value)}</${name}>`).join('');
  return `<OrgSettings>${body}</OrgSettings>`;
}
