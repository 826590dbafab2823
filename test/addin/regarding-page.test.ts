/**
 * The Set Regarding page (src/dialog/regarding.ts) on a minimal DOM (no jsdom in this project): Escape
 * closes it from the search box; recent records before typing; the type filter and the true count;
 * the chosen record named. The fake document gets a keydown before the input does, as the DOM's
 * capture phase does. The CRM is a fake adapter with the port's findRecords contract (at most `top`
 * of the types asked, and whether more match).
 */
import { DIALOG_CANCEL } from '../../src/commands/regardingDialog';
import type { FindRecordsOptions, RecordSearchHit, SearchableType } from '../../src/crm/port';

class FakeElement extends EventTarget {
  id = '';
  value = '';
  textContent = '';
  className = '';
  hidden = false;
  children: FakeElement[] = [];
  readonly attributes = new Map<string, string>();
  constructor(
    readonly tag: string,
    private readonly doc: FakeDocument,
  ) {
    super();
  }
  setAttribute(name: string, value: string) {
    this.attributes.set(name, value);
  }
  removeAttribute(name: string) {
    this.attributes.delete(name);
  }
  append(...children: FakeElement[]) {
    this.children.push(...children);
  }
  replaceChildren(...children: FakeElement[]) {
    this.children = children;
  }
  focus() {
    this.doc.activeElement = this;
  }
  /** The text a user sees in it (textContent of it and its children). */
  text(): string {
    return this.textContent + this.children.map((c) => c.text()).join(' ');
  }
  override dispatchEvent(event: Event): boolean {
    this.doc.dispatchEvent(event);
    return event.cancelBubble ? !event.defaultPrevented : super.dispatchEvent(event);
  }
}

class FakeDocument extends EventTarget {
  activeElement: FakeElement | null = null;
  readonly documentElement = { dataset: {} as Record<string, string> };
  readonly elements = new Map(
    ['search', 'type', 'status', 'results', 'results-label'].map((id) => {
      const element = new FakeElement('div', this);
      element.id = id;
      return [id, element];
    }),
  );
  getElementById(id: string) {
    return this.elements.get(id) ?? null;
  }
  createElement(tag: string) {
    return new FakeElement(tag, this);
  }
}

const keydown = (key: string) => {
  const event = new Event('keydown', { cancelable: true });
  Object.defineProperty(event, 'key', { value: key });
  return event;
};

const hit = (type: SearchableType, i: number): RecordSearchHit => ({
  type,
  id: `${type}-${i}`,
  name: `${type} ${i}`,
  email: i === 0 ? `${type}@x.com` : null,
});

interface Page {
  doc: FakeDocument;
  el: (id: string) => FakeElement;
  messageParent: jest.Mock;
  searches: [string, FindRecordsOptions][];
  type: (text: string) => Promise<void>;
  pick: (filter: string) => Promise<void>;
}

/** Loads the page with `recent` in its address and a CRM holding `matches` (best first). */
async function openPage(
  matches: RecordSearchHit[],
  recent?: unknown,
  run?: (page: Page) => Promise<void>,
  officeTheme?: { bodyBackgroundColor: string; isDarkTheme?: boolean },
  displayLanguage = 'en-US',
) {
  const doc = new FakeDocument();
  const messageParent = jest.fn();
  const searches: [string, FindRecordsOptions][] = [];
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = { document: g.document, window: g.window, Office: g.Office };
  const url = new URL('https://localhost:3000/regarding.html');
  url.searchParams.set('crm', 'https://org.crm.dynamics.com');
  if (recent !== undefined) url.searchParams.set('recent', JSON.stringify(recent));
  Object.assign(g, {
    document: doc,
    window: { location: { href: url.toString() } },
    Office: {
      onReady: (ready: () => void) => ready(),
      context: { ui: { messageParent }, officeTheme, displayLanguage },
    },
  });
  jest.useFakeTimers();
  try {
    jest.isolateModules(() => {
      jest.doMock('../../src/crm/dataverseAdapter', () => ({
        DataverseAdapter: class {
          async findRecords(text: string, options: FindRecordsOptions) {
            searches.push([text, options]);
            const all = matches.filter(
              (m) => m.name.includes(text) && (!options.types || options.types.includes(m.type)),
            );
            return { hits: all.slice(0, options.top), more: all.length > options.top };
          }
        },
      }));
      require('../../src/dialog/regarding');
    });
    const el = (id: string) => doc.getElementById(id)!;
    // German and French start once their chunk has loaded: the search box has the focus then.
    for (let i = 0; i < 50 && doc.activeElement === null; i++) await jest.advanceTimersByTimeAsync(10);
    const settle = async () => {
      await jest.advanceTimersByTimeAsync(300);
    };
    const page: Page = {
      doc,
      el,
      messageParent,
      searches,
      type: async (text) => {
        el('search').value = text;
        el('search').dispatchEvent(new Event('input'));
        await settle();
      },
      pick: async (filter) => {
        el('type').value = filter;
        el('type').dispatchEvent(new Event('change'));
        await settle();
      },
    };
    await run?.(page);
  } finally {
    jest.useRealTimers();
    jest.dontMock('../../src/crm/dataverseAdapter');
    Object.assign(g, saved);
  }
}

const rows = (page: Page) => page.el('results').children.map((row) => row.text());

test('Escape with the focus in the search box asks the command to close the dialog', async () => {
  await openPage([], undefined, async ({ doc, el, messageParent }) => {
    const input = el('search');
    expect(doc.activeElement).toBe(input);
    input.value = 'fab';
    input.dispatchEvent(keydown('ArrowDown'));
    expect(messageParent).not.toHaveBeenCalled();
    const escape = keydown('Escape');
    input.dispatchEvent(escape);
    expect(messageParent).toHaveBeenCalledWith(DIALOG_CANCEL);
    expect(escape.defaultPrevented).toBe(true);
  });
});

test('the type filter offers All, Accounts, Contacts, Leads, Opportunities, Cases', async () => {
  await openPage([], undefined, async ({ el }) => {
    expect(el('type').children.map((o) => [o.value, o.textContent])).toEqual([
      ['all', 'All'],
      ['account', 'Accounts'],
      ['contact', 'Contacts'],
      ['lead', 'Leads'],
      ['opportunity', 'Opportunities'],
      ['incident', 'Cases'],
    ]);
  });
});

test('before typing: the recent records from the address, as text, narrowed by the type filter', async () => {
  const recent = {
    v: 1,
    r: [
      ['account', 'a1', '<b>Fabrikam</b>'],
      ['incident', 'i1', 'Broken printer'],
    ],
  };
  await openPage([], recent, async (page) => {
    expect(rows(page)).toEqual(['<b>Fabrikam</b> Account', 'Broken printer Case']);
    expect(page.el('results-label').hidden).toBe(false);
    expect(page.el('status').textContent).toMatch(/^Recent records: use the arrow keys/);
    expect(page.searches).toEqual([]);
    await page.pick('incident');
    expect(rows(page)).toEqual(['Broken printer Case']);
    page.el('search').dispatchEvent(keydown('ArrowDown'));
    page.el('search').dispatchEvent(keydown('Enter'));
    expect(page.messageParent).toHaveBeenCalledWith(
      JSON.stringify({ type: 'incident', id: 'i1', name: 'Broken printer' }),
    );
    expect(page.el('status').textContent).toBe('Chosen: Case Broken printer.');
  });
});

test('no recent records: only the hint; an unreadable list is none', async () => {
  await openPage([], 'not a list', async (page) => {
    expect(rows(page)).toEqual([]);
    expect(page.el('results-label').hidden).toBe(true);
    expect(page.el('status').textContent).toBe('Type at least two characters.');
  });
});

test('typing searches; the count is true: "10+" when the CRM has more than shown', async () => {
  const matches = Array.from({ length: 12 }, (_, i) => hit('contact', i));
  await openPage(matches, undefined, async (page) => {
    await page.type('contact');
    expect(page.searches).toEqual([['contact', { top: 10 }]]);
    expect(rows(page)).toHaveLength(10);
    expect(rows(page)[0]).toBe('contact 0 Contact · contact@x.com');
    expect(page.el('results-label').hidden).toBe(true);
    expect(page.el('status').textContent).toBe('10+ records found. Use the arrow keys and Enter.');
    await page.type('contact 1');
    expect(page.el('status').textContent).toBe('3 records found. Use the arrow keys and Enter.');
  });
});

test('the type filter searches again and counts that type', async () => {
  const matches = [...Array.from({ length: 5 }, (_, i) => hit('account', i)), hit('lead', 0)];
  await openPage(matches, undefined, async (page) => {
    await page.type('a');
    expect(page.searches).toEqual([]); // one character: no search
    await page.pick('lead');
    await page.type('lead');
    expect(page.searches).toEqual([['lead', { types: ['lead'], top: 10 }]]);
    expect(rows(page)).toEqual(['lead 0 Lead · lead@x.com']);
    expect(page.el('status').textContent).toBe('1 lead found. Use the arrow keys and Enter.');
    await page.pick('opportunity');
    expect(page.el('status').textContent).toBe('No opportunity matches "lead".');
  });
});

describe("the dialog follows Office's theme as the pane does", () => {
  test.each([
    ['dark, by the isDarkTheme flag', { bodyBackgroundColor: '#292929', isDarkTheme: true }, 'dark'],
    ['light, by the isDarkTheme flag', { bodyBackgroundColor: '#FFFFFF', isDarkTheme: false }, 'light'],
    ['dark, by a dark body colour when there is no flag', { bodyBackgroundColor: '#1F1F1F' }, 'dark'],
    ['light when Office gives no theme (as the pane starts)', undefined, 'light'],
  ])('%s', async (_rule, officeTheme, expected) => {
    await openPage(
      [],
      undefined,
      async ({ doc }) => {
        expect(doc.documentElement.dataset.theme).toBe(expected);
      },
      officeTheme,
    );
  });
});

test('in French (display language fr-FR) the dialog speaks French: the filter, the hint, the count, the choice', async () => {
  const matches = [hit('account', 0), hit('account', 1)];
  await openPage(
    matches,
    undefined,
    async (page) => {
      expect(page.doc.activeElement).toBe(page.el('search'));
      expect(page.el('type').children.map((o) => o.textContent)).toEqual([
        'Tous',
        'Comptes',
        'Contacts',
        'Prospects',
        'Opportunités',
        'Incidents',
      ]);
      expect(page.el('status').textContent).toBe('Tapez au moins deux caractères.');
      expect(page.el('search').attributes.get('placeholder')).toMatch(/^Compte, contact/);
      await page.type('account');
      expect(page.el('status').textContent).toBe(
        '2 enregistrements trouvés. Utilisez les touches de direction et Entrée.',
      );
      expect(rows(page)[0]).toBe('account 0 Compte · account@x.com');
      page.el('search').dispatchEvent(keydown('Enter'));
      expect(page.el('status').textContent).toBe('Choisi : Compte account 0.');
    },
    undefined,
    'fr-FR',
  );
});

test('a display language the add-in does not speak (es-ES) leaves the dialog in English', async () => {
  await openPage(
    [],
    undefined,
    async (page) => {
      expect(page.el('status').textContent).toBe('Type at least two characters.');
    },
    undefined,
    'es-ES',
  );
});
