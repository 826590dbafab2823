/**
 * The Set Regarding page (src/dialog/regarding.ts) on a minimal DOM (no jsdom in this project): Escape
 * closes it from the search box. The fake document gets a keydown before the input does, as the
 * DOM's capture phase does.
 */
import { DIALOG_CANCEL } from '../../src/commands/regardingDialog';

class FakeElement extends EventTarget {
  value = '';
  textContent = '';
  className = '';
  readonly attributes = new Map<string, string>();
  constructor(
    readonly id: string,
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
  replaceChildren() {}
  focus() {
    this.doc.activeElement = this;
  }
  override dispatchEvent(event: Event): boolean {
    this.doc.dispatchEvent(event);
    return event.cancelBubble ? !event.defaultPrevented : super.dispatchEvent(event);
  }
}

class FakeDocument extends EventTarget {
  activeElement: FakeElement | null = null;
  readonly elements = new Map(['search', 'status', 'results'].map((id) => [id, new FakeElement(id, this)]));
  getElementById(id: string) {
    return this.elements.get(id) ?? null;
  }
}

const keydown = (key: string) => {
  const event = new Event('keydown', { cancelable: true });
  Object.defineProperty(event, 'key', { value: key });
  return event;
};

test('Escape with the focus in the search box asks the command to close the dialog', () => {
  const doc = new FakeDocument();
  const messageParent = jest.fn();
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = { document: g.document, window: g.window, Office: g.Office };
  Object.assign(g, {
    document: doc,
    window: {
      location: { href: 'https://localhost:3000/regarding.html?crm=https%3A%2F%2Forg.crm.dynamics.com' },
    },
    Office: { onReady: (ready: () => void) => ready(), context: { ui: { messageParent } } },
  });
  try {
    jest.isolateModules(() => {
      require('../../src/dialog/regarding');
    });
    const input = doc.getElementById('search')!;
    expect(doc.activeElement).toBe(input);
    input.value = 'fab';
    input.dispatchEvent(keydown('ArrowDown'));
    expect(messageParent).not.toHaveBeenCalled();
    const escape = keydown('Escape');
    input.dispatchEvent(escape);
    expect(messageParent).toHaveBeenCalledWith(DIALOG_CANCEL);
    expect(escape.defaultPrevented).toBe(true);
  } finally {
    Object.assign(g, saved);
  }
});
