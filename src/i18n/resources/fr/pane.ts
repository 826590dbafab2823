/** The pane's French messages, a chunk loaded before first paint. */
import app from './app.json';
import appPane from './appPane.json';
import background from './background.json';
import common from './common.json';
import diagnostics from './diagnostics.json';
import item from './item.json';
import options from './options.json';
import sync from './sync.json';

export const paneNamespaces = { common, app, appPane, item, options, background, sync, diagnostics };
