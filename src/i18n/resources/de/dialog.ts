/** The Set Regarding dialog's messages. */
import common from './common.json';
import dialog from './dialog.json';

export const dialogNamespaces = { common, dialog };
