/** Tracking carries the item's files (issue 10 §1): within the organization's limits, the rest named. */
import { itemOpened, trackItem } from '../../../src/app/itemUseCases';
import { drainPending } from '../../../src/app/pendingQueue';
import { CrmRequestError, CrmUnavailableError } from '../../../src/crm/errors';
import { harness } from '../../support/diagnostics';
import { contactAnn, readItem } from '../../support/fakes';

const file = (id: string, name: string, size: number, base64 = 'QUJD') => ({
  id,
  name,
  contentType: 'application/pdf',
  size,
  isInline: false,
  kind: 'file' as const,
  base64,
});
const ORG = { maxuploadfilesize: 100, blockedattachments: 'exe;js' };
const unavailable = () =>
  new CrmUnavailableError('busy', { status: 503, code: null, requestId: null, request: 'POST $batch' });

describe('attachments on track', () => {
  test('a file goes with the activity; a blocked one and one over the limit are skipped, never read, and named', async () => {
    const h = harness();
    h.crm.settings = { organization: ORG, user: { incomingemailfilteringmethod: 4 } };
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.mailbox.attachments.set(item.itemId, [
      file('a1', 'quote.pdf', 3),
      file('a2', 'Setup.EXE', 3),
      file('a3', 'scan.tiff', 101),
    ]);
    const state = await trackItem(session, item, null);
    expect(state.status).toBe('tracked');
    expect(h.mailbox.attachmentReads).toEqual(['a1']);
    expect(h.crm.created.get(state.activityId as string)?.attachments).toEqual([
      { fileName: 'quote.pdf', mimeType: 'application/pdf', base64: 'QUJD' },
    ]);
    expect(state.skippedAttachments).toEqual([
      { name: 'Setup.EXE', reason: 'blocked' },
      { name: 'scan.tiff', reason: 'too-large' },
    ]);
    expect(state.message).toContain(
      'Attachments not tracked: Setup.EXE (file type blocked by the CRM), scan.tiff',
    );
  });

  test('an item open that does not track reads no attachment (the hot path stays one lookup)', async () => {
    const h = harness();
    h.crm.settings = { organization: ORG, user: { incomingemailfilteringmethod: 4 } };
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.mailbox.attachments.set(item.itemId, [file('a1', 'quote.pdf', 3)]);
    const state = await itemOpened(session, item);
    expect(state.status).toBe('not-tracked');
    expect(h.mailbox.attachmentReads).toEqual([]);
  });

  test('a queued track re-reads the files when delivered (the queue keeps none)', async () => {
    const h = harness();
    h.crm.records = [contactAnn];
    h.crm.settings = { organization: ORG, user: { incomingemailfilteringmethod: 0 } };
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.mailbox.attachments.set(item.itemId, [file('a1', 'quote.pdf', 3)]);
    h.crm.failNext('trackEmails', unavailable());
    await itemOpened(session, item);
    expect(JSON.stringify(h.pending.list)).not.toContain('QUJD');
    h.clock.time += 31_000;
    const { delivered } = await drainPending(session);
    expect(delivered).toHaveLength(1);
    expect(h.crm.created.get(delivered[0]?.activityId as string)?.attachments).toEqual([
      { fileName: 'quote.pdf', mimeType: 'application/pdf', base64: 'QUJD' },
    ]);
  });

  test('a file the CRM refuses anyway (0x80043e09: its limits changed) is dropped: the email is tracked without files, and the user told', async () => {
    const h = harness();
    h.crm.settings = { organization: ORG, user: { incomingemailfilteringmethod: 4 } };
    const session = await h.session();
    const item = h.mailbox.add(readItem());
    h.mailbox.attachments.set(item.itemId, [file('a1', 'quote.pdf', 3)]);
    h.crm.failNext(
      'trackEmails',
      new CrmRequestError('The attachment is either not a valid type or is too large.', {
        status: 400,
        code: '0x80043E09',
        requestId: null,
        request: 'POST $batch',
      }),
    );
    const state = await trackItem(session, item, null);
    expect(state.status).toBe('tracked');
    expect(h.crm.created.get(state.activityId as string)?.attachments).toBeUndefined();
    expect(state.skippedAttachments).toEqual([{ name: 'quote.pdf', reason: 'refused' }]);
    expect(state.message).toContain('quote.pdf (refused by the CRM)');
  });
});
