/** The admin page's strings for a display language: English in admin.js, German and French as chunks. */
import { adminNamespaces as adminEn } from './resources/en/admin';
import { flatten, stringsFrom, type KeysOf, type Strings } from './strings';
import { loadSurface } from './surfaceLoader';

export type AdminKey = KeysOf<typeof adminEn>;
export type AdminStrings = Strings<AdminKey>;

const ADMIN_EN = flatten(adminEn);

export const englishAdminStrings: AdminStrings = stringsFrom<AdminKey>('en-US', ADMIN_EN, ADMIN_EN);

export const loadAdminStrings = (displayLanguage: string | null | undefined): Promise<AdminStrings> =>
  loadSurface<AdminKey>(displayLanguage, ADMIN_EN, async (language) =>
    language === 'de'
      ? (await import(/* webpackChunkName: "lang-de-admin" */ './resources/de/admin')).adminNamespaces
      : (await import(/* webpackChunkName: "lang-fr-admin" */ './resources/fr/admin')).adminNamespaces,
  );
