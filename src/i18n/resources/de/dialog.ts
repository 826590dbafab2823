/** The Set Regarding dialog's messages: its own, and the app's (the record search's words, failures). */
import app from './app.json';
import appPane from './appPane.json';
import common from './common.json';
import dialog from './dialog.json';

export const dialogNamespaces = { common, app, appPane, dialog };
