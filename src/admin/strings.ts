/** The admin page's strings: `useAdminStrings()` in components. */
import { createStringsContext } from '../i18n/react';
import { englishAdminStrings, type AdminKey } from '../i18n/adminSurface';

export type { AdminKey, AdminStrings } from '../i18n/adminSurface';

const admin = createStringsContext<AdminKey>(englishAdminStrings);

export const AdminStringsContext = admin.Context;
export const useAdminStrings = admin.useStrings;

/** `admin.label<Name>` for a setting's name (the catalog's names are the keys' tails). */
export const settingMessage = (kind: 'label' | 'effect', name: string): AdminKey =>
  `admin.${kind}${name.charAt(0).toUpperCase()}${name.slice(1)}` as AdminKey;
