/** Read items' attachments as Office.js gives them: AttachmentDetails, getAttachmentContentAsync (Mailbox 1.8). */
import { loadDemoMailbox } from '../../simulator';
import { call, FAILED, incoming, simulator, value } from './helpers';

const PDF = Buffer.from('%PDF-1.4 demo').toString('base64');

async function selectedWithFiles(maxMailboxVersion?: string) {
  const sim = simulator(maxMailboxVersion ? { maxMailboxVersion } : {});
  const item = sim.mailbox.deliver(
    incoming({
      attachments: [
        { name: 'quote.pdf', contentType: 'application/pdf', content: PDF },
        { name: 'logo.png', contentType: 'image/png', isInline: true, content: 'iVBORw0KGgo=' },
        { name: 'Fwd.eml', contentType: 'message/rfc822', kind: 'item', content: 'Subject: hi\r\n\r\nbody' },
        {
          name: 'plan.docx',
          contentType: 'application/octet-stream',
          kind: 'cloud',
          content: 'https://x/plan.docx',
          size: 2048,
        },
      ],
    }),
  );
  await sim.mailbox.select(item.id);
  return { sim, item: sim.Office.context.mailbox.item as Office.MessageRead };
}

describe('attachments of a read item', () => {
  test('item.attachments: AttachmentDetails (attachmentType, contentType, id, isInline, name, size), no content', async () => {
    const { item } = await selectedWithFiles();
    expect(item.attachments.map((a) => Object.keys(a).sort())).toEqual(
      Array(4).fill(['attachmentType', 'contentType', 'id', 'isInline', 'name', 'size']),
    );
    expect(item.attachments.map((a) => [a.name, a.attachmentType, a.size, a.isInline])).toEqual([
      ['quote.pdf', 'file', 13, false],
      ['logo.png', 'file', 8, true],
      ['Fwd.eml', 'item', 19, false],
      ['plan.docx', 'cloud', 2048, false],
    ]);
    expect(new Set(item.attachments.map((a) => a.id)).size).toBe(4);
  });

  test('getAttachmentContentAsync: AttachmentContent {format, content}, Base64 for a file, Eml for an item, Url for a cloud link', async () => {
    const { sim, item } = await selectedWithFiles();
    const formats = sim.Office.MailboxEnums.AttachmentContentFormat;
    const [file, , attached, cloud] = item.attachments;
    expect(
      await value<Office.AttachmentContent>((cb) => item.getAttachmentContentAsync(file?.id as string, cb)),
    ).toEqual({
      format: formats.Base64,
      content: PDF,
    });
    expect(
      (
        await value<Office.AttachmentContent>((cb) =>
          item.getAttachmentContentAsync(attached?.id as string, cb),
        )
      ).format,
    ).toBe('eml');
    expect(
      await value<Office.AttachmentContent>((cb) =>
        item.getAttachmentContentAsync(cloud?.id as string, {}, cb),
      ),
    ).toEqual({
      format: 'url',
      content: 'https://x/plan.docx',
    });
  });

  test('an unknown id fails 9003 InvalidAttachmentId; a missing id throws; after the selection changes 9030', async () => {
    const { sim, item } = await selectedWithFiles();
    const result = await call<Office.AttachmentContent>((cb) => item.getAttachmentContentAsync('nope', cb));
    expect(result.status).toBe(FAILED);
    expect(result.error).toMatchObject({ code: 9003, name: 'InvalidAttachmentId' });
    expect(() => item.getAttachmentContentAsync('' as string, () => {})).toThrow();
    const other = sim.mailbox.deliver(incoming({ subject: 'other' }));
    const id = item.attachments[0]?.id as string;
    await sim.mailbox.select(other.id);
    const stale = await call<Office.AttachmentContent>((cb) => item.getAttachmentContentAsync(id, cb));
    expect(stale.error?.code).toBe(9030);
  });

  test('below Mailbox 1.8 there is no getAttachmentContentAsync', async () => {
    const { item } = await selectedWithFiles('1.7');
    expect((item as { getAttachmentContentAsync?: unknown }).getAttachmentContentAsync).toBeUndefined();
    expect(item.attachments).toHaveLength(4);
  });

  test('the demo pricing email has a file, a blocked one and a cloud link; others have none', async () => {
    const sim = simulator();
    const ids = loadDemoMailbox(sim.mailbox);
    await sim.mailbox.select(ids.pricing);
    const item = sim.Office.context.mailbox.item as Office.MessageRead;
    expect(item.attachments.map((a) => [a.name, a.attachmentType])).toEqual([
      ['Q3 pricing.pdf', 'file'],
      ['price-calculator.js', 'file'],
      ['Volume discounts.xlsx', 'cloud'],
    ]);
    await sim.mailbox.select(ids.pricingReplySent);
    expect((sim.Office.context.mailbox.item as Office.MessageRead).attachments).toEqual([]);
  });
});
