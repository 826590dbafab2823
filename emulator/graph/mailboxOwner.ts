/**
 * Whose mailbox the emulator serves: me@contoso.com. Apart from seed.ts so that the item modules
 * (contacts, events, To Do), which the seed itself calls, can name the owner without an import cycle.
 */
import { graphId, type Recipient } from './db';

export const ME: Recipient = { name: 'Megan Bowen', address: 'me@contoso.com' };
export const MAILBOX = { userId: graphId('folder', 'user:me'), address: ME.address };
