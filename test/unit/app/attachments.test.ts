/** The pure parts of tracking attachments: blocked extensions, size limits, the user's words. */
import {
  base64Size,
  fileExtension,
  isBlockedAttachment,
  MAX_TRACK_ATTACHMENT_BYTES,
  readAttachments,
  selectAttachments,
  skippedAttachmentsMessage,
} from '../../../src/app/trackPlan';
import type { AttachmentInfo } from '../../../src/app/ports';

const ORG = { maxuploadfilesize: 1000, blockedattachments: 'exe;JS;.bat; vbs ' };
const file = (name: string, size = 10, extra: Partial<AttachmentInfo> = {}): AttachmentInfo => ({
  id: name,
  name,
  contentType: 'application/octet-stream',
  size,
  isInline: false,
  kind: 'file',
  ...extra,
});

describe('blocked extensions (blockedattachments)', () => {
  test.each([
    ['virus.exe', true],
    ['VIRUS.EXE', true],
    ['script.Js', true],
    ['archive.tar.exe', true],
    ['run.bat', true],
    ['macro.vbs', true],
    ['report.exe.pdf', false],
    ['README', false],
    ['trailing.', false],
    ['.exe', true],
    ['exe', false],
    ['notes.json', false],
  ])('%s → %p', (name, blocked) => {
    expect(isBlockedAttachment(name, ORG.blockedattachments)).toBe(blocked);
  });

  test('the extension is after the last dot; none without a dot or with nothing after it', () => {
    expect(fileExtension('a.b.C')).toBe('c');
    expect(fileExtension('noext')).toBeNull();
    expect(fileExtension('dot.')).toBeNull();
  });

  test('an empty list blocks nothing', () => {
    expect(isBlockedAttachment('x.exe', '')).toBe(false);
    expect(isBlockedAttachment('x', ';;')).toBe(false);
  });
});

describe('size limits', () => {
  test('exactly maxuploadfilesize passes; one byte more is skipped', () => {
    const { read, skipped } = selectAttachments([file('a.pdf', 1000), file('b.pdf', 1001)], ORG);
    expect(read.map((a) => a.name)).toEqual(['a.pdf']);
    expect(skipped).toEqual([{ name: 'b.pdf', reason: 'too-large' }]);
  });

  test('cloud links and attached items are not files; blocked wins over size; the per-track budget', () => {
    const { read, skipped } = selectAttachments(
      [
        file('link.docx', 5, { kind: 'cloud' }),
        file('fwd.eml', 5, { kind: 'item' }),
        file('big.exe', 5000),
        file('one.pdf', 600),
        file('two.pdf', 600),
        file('logo.png', 50, { isInline: true }),
      ],
      { maxuploadfilesize: 1000, blockedattachments: 'exe' },
      1100,
    );
    expect(read.map((a) => a.name)).toEqual(['one.pdf', 'logo.png']);
    expect(skipped).toEqual([
      { name: 'link.docx', reason: 'cloud' },
      { name: 'fwd.eml', reason: 'item' },
      { name: 'big.exe', reason: 'blocked' },
      { name: 'two.pdf', reason: 'track-too-large' },
    ]);
    expect(MAX_TRACK_ATTACHMENT_BYTES).toBeGreaterThanOrEqual(5 * 1024 * 1024);
  });

  test('base64 size counts the padding', () => {
    expect(base64Size('')).toBe(0);
    expect(base64Size('QQ==')).toBe(1);
    expect(base64Size('QUI=')).toBe(2);
    expect(base64Size('QUJD')).toBe(3);
  });
});

test('the message names each skipped file and why', () => {
  expect(skippedAttachmentsMessage([])).toBe('');
  expect(
    skippedAttachmentsMessage(
      [
        { name: 'a.exe', reason: 'blocked' },
        { name: 'b.zip', reason: 'too-large' },
      ],
      5_242_880,
    ),
  ).toBe(
    "Attachments not tracked: a.exe (file type blocked by the CRM), b.zip (over the CRM's size limit of 5 MB).",
  );
});

describe('readAttachments', () => {
  const log = {
    lines: [] as string[],
    log(m: string) {
      this.lines.push(m);
    },
  };
  test('reads the content of the files within the limits only, and skips what cannot be read', async () => {
    const reads: string[] = [];
    const mailbox = {
      itemAttachments: async () => [
        file('ok.pdf', 3),
        file('bad.exe', 3),
        file('big.pdf', 5000),
        file('gone.pdf', 3),
      ],
      attachmentContent: async (_item: string, id: string) => {
        reads.push(id);
        if (id === 'gone.pdf') throw new Error('9003');
        return 'QUJD';
      },
    };
    const out = await readAttachments({ mailbox, log }, 'item-1', ORG);
    expect(reads).toEqual(['ok.pdf', 'gone.pdf']);
    expect(out.attachments).toEqual([
      { fileName: 'ok.pdf', mimeType: 'application/octet-stream', base64: 'QUJD' },
    ]);
    expect(out.skipped).toEqual([
      { name: 'bad.exe', reason: 'blocked' },
      { name: 'big.pdf', reason: 'too-large' },
      { name: 'gone.pdf', reason: 'unreadable' },
    ]);
  });

  test('a list that cannot be read tracks no files, logged', async () => {
    const mailbox = {
      itemAttachments: async () => {
        throw new Error('not current');
      },
      attachmentContent: async () => '',
    };
    expect(await readAttachments({ mailbox, log }, 'item-1', ORG)).toEqual({ attachments: [], skipped: [] });
    expect(log.lines.at(-1)).toMatch(/Could not list the attachments/);
  });
});
