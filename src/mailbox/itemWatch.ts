/**
 * What the pane watches on the selected item without asking the CRM: its categories and the
 * add-in's custom property. The ribbon command, the Set Regarding dialog, the event handlers and the
 * queue change these when they track or untrack the item, in another runtime; the pane reads them a
 * few times a second (local Office.js reads) and checks the item again only when they change.
 */
import { TRACKED_CATEGORY } from './categories';
import { CUSTOM_PROPERTY } from './marks';
import { officeCall } from './officeAsync';

/** A string that changes when the current read item's tags change; null when no read item is selected. */
export async function currentItemMarks(
  office: typeof Office,
): Promise<{ itemId: string; marks: string; tracked: boolean } | null> {
  const item = office.context.mailbox?.item as (Office.MessageRead & { itemId?: string }) | null | undefined;
  if (!item || typeof item.subject !== 'string' || !item.itemId) return null;
  const [categories, properties] = await Promise.all([
    officeCall<Office.CategoryDetails[] | null>('Reading the categories', (cb) =>
      item.categories.getAsync(cb),
    ),
    officeCall<Office.CustomProperties>("Reading the add-in's item data", (cb) =>
      item.loadCustomPropertiesAsync(cb),
    ),
  ]);
  const names = (categories ?? []).map((c) => c.displayName).sort();
  const tag: unknown = properties.get(CUSTOM_PROPERTY);
  return {
    itemId: item.itemId,
    marks: JSON.stringify([names, tag ?? null]),
    tracked: names.includes(TRACKED_CATEGORY),
  };
}
