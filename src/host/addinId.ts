/**
 * The manifest's `<Id>`. Outlook keeps this add-in's custom properties in the MAPI named property
 * `cecp-<Id>`, which is how the background check reads through Graph the tag the pane writes through
 * Office.js; test/manifest checks that this is the manifest's id.
 */
export const ADDIN_ID = 'c7776a0d-efcc-4504-b497-f889d0bed0d9';
