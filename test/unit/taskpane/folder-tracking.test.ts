/**
 * Which folders a folder tracking rule may name: Dataverse tracks email only in folders under the
 * Inbox ("Configure folder-level tracking rules"), found by its well-known name whatever its
 * display name.
 */
import type { MailFolderInfo } from '../../../src/graph/folderPort';
import { trackableFolders } from '../../../src/taskpane/controller/folderTrackingModel';

const folder = (path: string, wellKnown: string | null = null): MailFolderInfo => ({
  id: `id:${path}`,
  displayName: path.split('/').at(-1) ?? path,
  path,
  wellKnown,
  totalItemCount: null,
});

describe('only folders under the Inbox can be tracked', () => {
  test.each([
    [
      'subfolders at any depth, parents before children; not the Inbox itself nor folders beside it',
      [
        folder('Inbox', 'inbox'),
        folder('Inbox/Projects'),
        folder('Inbox/Projects/Fabrikam'),
        folder('Archive', 'archive'),
        folder('Sent Items', 'sentitems'),
        folder('Inboxes'),
        folder('Inbox archive'),
      ],
      ['Inbox/Projects', 'Inbox/Projects/Fabrikam'],
    ],
    [
      'an Inbox in another language is found by its well-known name',
      [folder('Posteingang', 'inbox'), folder('Posteingang/Kunden'), folder('Inbox/Other')],
      ['Posteingang/Kunden'],
    ],
    ['no Inbox among the folders: none', [folder('Archive'), folder('Archive/2025')], []],
  ])('%s', (_, folders, paths) => {
    expect(trackableFolders(folders).map((f) => f.path)).toEqual(paths);
  });
});
