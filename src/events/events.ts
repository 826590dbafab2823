/**
 * events.js: the event handlers alone, as ONE self-contained file for classic Outlook on Windows,
 * whose JavaScript-only runtime loads exactly the file the manifest's JavaScript override names (no
 * DOM, no chunks). The other Outlooks load commands.html, whose one bundle registers these same
 * handlers with the ribbon command (src/commands/commands.ts).
 */
import { onMessageSendHandler, onNewMessageComposeHandler } from './handlers';

// All registrations together, at load (names match FunctionName in manifest.xml).
Office.actions.associate('onNewMessageComposeHandler', onNewMessageComposeHandler);
Office.actions.associate('onMessageSendHandler', onMessageSendHandler);
