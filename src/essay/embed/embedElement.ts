import { PANEL_CHOICES } from '../../state/panelChoices.ts';
import { quote, readState, STATE_FIELDS, VIEW_PARAMS, type Notice, type PageState } from '../../state/urlState.ts';
import type { WorkerPool } from '../../train/workerPool.ts';
import { PANELS, panelIds } from '../panelRegistry.ts';
import type { MountedPanel } from '../panelTypes.ts';
import { ELEMENT_NAME } from './embedSnippets.ts';
import { noticeListNodes } from '../notices.ts';

/**
 * <wide-enough-panel panel="ID" width="512" depth="3" ...>: one panel of the essay, in a shadow
 * root, for other people's pages. Its attributes are the URL parameters of the essay
 * (src/state/urlState.ts) and the panels' own choices (src/state/panelChoices.ts), plus `panel`. Bad values are repaired with a notice shown inside the
 * panel (as text); an unknown panel ID says which IDs exist. Changing an attribute remounts the
 * panel with the new state; the reader's own changes are announced as a `wide-enough:state` event.
 */

export { ELEMENT_NAME };
/** Fired on the element once its panel has mounted, or its notice is shown instead. */
export const RENDERED_EVENT = 'wide-enough:rendered';

/** Every attribute the element reads. */
export const ELEMENT_ATTRIBUTES: readonly string[] = ['panel', ...STATE_FIELDS.map((f) => f.param), ...VIEW_PARAMS, ...PANEL_CHOICES.map((c) => c.param)];

export interface EmbedEnvironment {
  /** The workers panels on this page train on (one pool per page, shared by its elements). */
  pool(): WorkerPool;
  /** Gives a panel's shadow root its styles (the panel mounts once they are there). */
  styles(root: ShadowRoot): void | Promise<void>;
}

/** The notice list inside a panel (text only). */
function noticeList(root: HTMLElement, intro: string, notices: readonly Notice[]): void {
  root.replaceChildren(...noticeListNodes(intro, notices));
  root.hidden = false;
}

export function unknownPanelNotice(id: string): Notice {
  const ids = panelIds();
  return {
    param: 'panel',
    // quoted as every notice quotes input (JSON escapes, cut by code points): '"><script>' shows as "\"><script>"
    message: `${id ? `There is no panel ${quote(id)}` : 'No panel ID given'}; the panels are: ${ids.join(', ')}.`,
  };
}

export function defineWideEnoughPanel(env: EmbedEnvironment): void {
  if (customElements.get(ELEMENT_NAME)) return; // a second copy of the library on one page

  class WideEnoughPanel extends HTMLElement {
    static get observedAttributes(): string[] {
      return [...ELEMENT_ATTRIBUTES];
    }

    private mounted: MountedPanel | null = null;
    private scheduled = false;
    private latest: PageState | null = null;
    private styled: Promise<void> = Promise.resolve();
    private generation = 0; // bumped by each mount and disconnect: a panel's code that arrives late mounts only if still wanted

    /** The panel's state now (after the reader's changes), or null before it mounts. */
    get state(): PageState | null {
      return this.latest ?? this.mounted?.state ?? null;
    }

    connectedCallback(): void {
      if (!this.shadowRoot) {
        const root = this.attachShadow({ mode: 'open' });
        this.styled = Promise.resolve(env.styles(root));
      }
      this.schedule();
    }

    disconnectedCallback(): void {
      this.generation++;
      this.mounted?.dispose();
      this.mounted = null;
    }

    attributeChangedCallback(): void {
      if (this.isConnected && this.shadowRoot) this.schedule();
    }

    /** Attributes set one after another (by a script) remount once. */
    private schedule(): void {
      if (this.scheduled) return;
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        if (this.isConnected) this.mount();
      });
    }

    private mount(): void {
      this.mounted?.dispose();
      this.mounted = null;
      this.latest = null;
      const shadow = this.shadowRoot!;
      const root = document.createElement('div');
      root.className = 'we-root';
      const notices = document.createElement('div');
      notices.className = 'notices';
      notices.setAttribute('role', 'alert');
      notices.hidden = true;
      root.append(notices);
      shadow.replaceChildren(root);

      const id = (this.getAttribute('panel') ?? '').trim();
      const entry = Object.hasOwn(PANELS, id) ? PANELS[id] : undefined;
      if (!entry) {
        noticeList(notices, 'This panel cannot be shown:', [unknownPanelNotice(id)]);
        this.rendered();
        return;
      }
      const attrs: [string, string][] = [];
      for (const name of ELEMENT_ATTRIBUTES) {
        const v = this.getAttribute(name);
        if (v !== null && name !== 'panel') attrs.push([name, v]);
      }
      const { state, notices: repaired } = readState(attrs);
      if (repaired.length) noticeList(notices, 'Some attributes could not be used as they were:', repaired);

      const figure = document.createElement('figure');
      figure.dataset.panel = id;
      figure.setAttribute('aria-label', entry.title);
      figure.dataset.title = entry.title;
      root.append(figure);
      // the panel's code is a chunk of its own; a remount or removal while it loads wins
      const generation = ++this.generation;
      Promise.all([entry.load(), this.styled]).then(
        ([mount]) => {
          if (generation !== this.generation || !this.isConnected) return;
          this.mounted = mount(figure, {
            state,
            pool: env.pool(),
            onState: (s) => {
              this.latest = s;
              this.dispatchEvent(new CustomEvent('wide-enough:state', { detail: s }));
            },
            onNotice: (n) => noticeList(notices, 'A setting was adjusted:', n),
          });
          this.rendered();
        },
        (err: unknown) => {
          if (generation !== this.generation) return;
          noticeList(notices, 'This panel cannot be shown:', [{ param: 'panel', message: `its code could not load (${err instanceof Error ? err.message : String(err)})` }]);
          this.rendered();
        },
      );
    }

    /** Says the panel (or the notice in its place) is on the page: its height is now worth reporting. */
    private rendered(): void {
      this.dispatchEvent(new CustomEvent(RENDERED_EVENT));
    }
  }

  customElements.define(ELEMENT_NAME, WideEnoughPanel);
}

