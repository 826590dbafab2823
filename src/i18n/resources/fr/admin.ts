/** The admin page's messages: the settings' names share the options' words. */
import admin from './admin.json';
import common from './common.json';
import options from './options.json';

export const adminNamespaces = { common, options, admin };
