/**
 * Mounts every figure's panel as soon as its code arrives: each panel is a chunk of its own
 * (panelRegistry.ts), fetched in parallel once the page's script runs, so neither the first paint
 * nor the page's script waits for any panel. They all mount during the page's load, rather than as
 * each nears the window: a figure that mounted later would grow from nothing and push down what
 * the reader had just jumped to (a contents link, a link to a figure, the scrollbar). `onAll` is
 * called once every mount has run (or failed).
 */
export function mountAll(els: readonly HTMLElement[], mount: (el: HTMLElement) => Promise<void>, onAll?: () => void): void {
  void Promise.allSettled(els.map((el) => mount(el))).then(() => onAll?.());
}
