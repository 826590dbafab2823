/**
 * The mailbox's folders as the folder picker of folder-level tracking shows them (Graph's
 * mailFolders, children included). The Graph adapter is mailFolders.ts; tests pass fakes.
 */

export interface MailFolderInfo {
  /** Graph's mailFolder id. */
  readonly id: string;
  readonly displayName: string;
  /** From the mailbox root, `/`-separated display names (`Inbox/Projects/Fabrikam`). */
  readonly path: string;
  /** `inbox`, `sentitems`, … for the standard folders; null otherwise. */
  readonly wellKnown: string | null;
  readonly totalItemCount: number | null;
}

export interface MailFolderPort {
  /** Every mail folder under the mailbox root, depth first, parents before children. */
  listFolders(): Promise<MailFolderInfo[]>;
}
