/** The admin page's messages: the settings' names share the options' words, the synchronized fields the sync namespace's. */
import admin from './admin.json';
import common from './common.json';
import options from './options.json';
import sync from './sync.json';

export const adminNamespaces = { common, options, sync, admin };
