/** The Outlook categories the add-in uses (§5). Constants only: safe to import anywhere. */
export const TRACKED_CATEGORY = 'Tracked to CRM';
export const UNDELIVERABLE_CATEGORY = 'Tracked to CRM (Undeliverable)';
