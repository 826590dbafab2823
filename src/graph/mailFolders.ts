/**
 * The MailFolderPort over Microsoft Graph v1.0: every mail folder under the mailbox root with its
 * path, for the folder picker of folder-level tracking. Graph lists one level at a time ("to return
 * all mail folders in a mailbox, each child folder must be traversed separately", List mailFolders)
 * and v1.0 has no wellKnownName property, so the walk is done in JSON `$batch` rounds: the first
 * holds the top level AND the standard folders asked by their well-known names (whose ids mark them),
 * each later round the children of every folder of the level before that has any
 * (`childFolderCount`), and the next pages of the lists of the round before. A mailbox of depth d
 * costs d + 1 requests (more only past 20 folders with children in one level, or 100 per list).
 */
import { query } from '../crm/odata';
import { GraphNotFoundError, graphProtocolError } from './errors';
import type { MailFolderInfo, MailFolderPort } from './folderPort';
import { partError, type GraphBatchRequest, type GraphHttp } from './graphHttp';

/** The standard folders the rules name by well-known name (background-check.md §1.2 step 1). */
export const STANDARD_FOLDERS = ['inbox', 'sentitems', 'drafts', 'deleteditems', 'junkemail'] as const;

const FOLDER_FIELDS = ['id', 'displayName', 'parentFolderId', 'childFolderCount', 'totalItemCount'];
/** Folders per page; a longer list continues behind `@odata.nextLink`. */
const PAGE_SIZE = 100;
/** A mail search folder is listed among the root's children but holds no mail of its own. */
const SEARCH_FOLDER_TYPE = '#microsoft.graph.mailSearchFolder';

export interface GraphMailFoldersOptions {
  readonly http: GraphHttp;
  /** Where what is skipped here (a folder without id or name) is written. */
  readonly log?: (message: string) => void;
}

interface Node {
  readonly id: string;
  readonly displayName: string;
  readonly path: string;
  readonly childFolderCount: number | null;
  readonly totalItemCount: number | null;
  readonly children: Node[];
}

/** A list still to read: the folder whose children it lists (null: the root), and where. */
interface Listing {
  readonly parent: Node | null;
  readonly url: string;
}

const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;

export class GraphMailFolders implements MailFolderPort {
  private readonly http: GraphHttp;

  constructor(private readonly options: GraphMailFoldersOptions) {
    this.http = options.http;
  }

  private listUrl(parent: Node | null): string {
    const q = query({ select: FOLDER_FIELDS, top: PAGE_SIZE });
    return parent === null
      ? `/me/mailFolders?${q}`
      : `/me/mailFolders/${encodeURIComponent(parent.id)}/childFolders?${q}`;
  }

  /** A `@odata.nextLink` as a batch part's URL (relative to the version), or null when it is not ours. */
  private relative(link: string): string | null {
    return link.startsWith(`${this.http.baseUrl}/`) ? link.slice(this.http.baseUrl.length) : null;
  }

  async listFolders(): Promise<MailFolderInfo[]> {
    const roots: Node[] = [];
    const wellKnownById = new Map<string, string>();
    const standard: GraphBatchRequest[] = STANDARD_FOLDERS.map((name) => ({
      id: `wk-${name}`,
      method: 'GET',
      url: `/me/mailFolders/${name}?${query({ select: ['id'] })}`,
    }));
    let listings: Listing[] = [{ parent: null, url: this.listUrl(null) }];
    let first = true;
    while (listings.length > 0) {
      const lists: GraphBatchRequest[] = listings.map((l, i) => ({ id: `l${i}`, method: 'GET', url: l.url }));
      const requests = first ? [...lists, ...standard] : lists;
      const responses = await this.http.batch(requests);
      const next: Listing[] = [];
      responses.forEach((response, i) => {
        const request = requests[i] as GraphBatchRequest;
        if (request.id.startsWith('wk-')) {
          // A mailbox may lack a standard folder (never provisioned): then none is marked.
          if (response.status === 404) return;
          const error = partError(response, request);
          if (error) throw error;
          const id = (response.body as { id?: unknown } | null)?.id;
          if (typeof id !== 'string')
            throw graphProtocolError('a well-known folder answered without an id', 'GET /me/mailFolders');
          wellKnownById.set(id, request.id.slice(3));
          return;
        }
        const error = partError(response, request);
        if (error) {
          // A folder deleted between two rounds is simply not listed.
          if (error instanceof GraphNotFoundError && (listings[i] as Listing).parent !== null) return;
          throw error;
        }
        const listing = listings[i] as Listing;
        const page = response.body as { value?: unknown; '@odata.nextLink'?: unknown } | null;
        if (!page || !Array.isArray(page.value))
          throw graphProtocolError('a folder list has no "value" array', 'GET /me/mailFolders (in $batch)');
        const siblings = listing.parent === null ? roots : listing.parent.children;
        for (const item of page.value as unknown[]) {
          const node = this.node(item, listing.parent);
          if (!node) continue;
          siblings.push(node);
          if (node.childFolderCount !== 0) next.push({ parent: node, url: this.listUrl(node) });
        }
        const link = page['@odata.nextLink'];
        if (typeof link === 'string') {
          const url = this.relative(link);
          if (url === null)
            throw graphProtocolError('a folder list continues at another host', 'GET /me/mailFolders');
          next.push({ parent: listing.parent, url });
        }
      });
      listings = next;
      first = false;
    }
    const out: MailFolderInfo[] = [];
    const walk = (nodes: readonly Node[]): void => {
      for (const n of nodes) {
        out.push({
          id: n.id,
          displayName: n.displayName,
          path: n.path,
          wellKnown: wellKnownById.get(n.id) ?? null,
          totalItemCount: n.totalItemCount,
        });
        walk(n.children);
      }
    };
    walk(roots);
    return out;
  }

  private node(item: unknown, parent: Node | null): Node | null {
    const f = item as Record<string, unknown> | null;
    if (!f || f['@odata.type'] === SEARCH_FOLDER_TYPE) return null;
    if (typeof f.id !== 'string' || typeof f.displayName !== 'string' || f.id === '') {
      this.options.log?.('A mail folder came without an id or a name; it is not listed');
      return null;
    }
    return {
      id: f.id,
      displayName: f.displayName,
      path: parent === null ? f.displayName : `${parent.path}/${f.displayName}`,
      childFolderCount: count(f.childFolderCount),
      totalItemCount: count(f.totalItemCount),
      children: [],
    };
  }
}
