/**
 * Writes to the page that happen only when the value changed: rewriting the same value still costs
 * the page a style check (and an SVG element's geometry a layout), and a frame of training
 * repeats most of what the last one wrote.
 */

/** Sets an attribute only when it changed. */
export function setAttr(e: Element, name: string, value: string): void {
  if (e.getAttribute(name) !== value) e.setAttribute(name, value);
}

/** Sets data attributes only where they changed. */
export function setData(e: HTMLElement, data: Readonly<Record<string, string | undefined>>): void {
  for (const [k, v] of Object.entries(data)) if (v !== undefined && e.dataset[k] !== v) e.dataset[k] = v;
}

/**
 * Sets an element's text only when it changed, and then by editing its one text node in place:
 * replacing the node (textContent) takes it out of the layout tree and puts a new one in, which
 * recalculates style up the tree (and every `:has()` rule over it), where an edit only lays the
 * line out again.
 */
export function setText(e: Element, text: string): void {
  const t = e.firstChild;
  if (text !== '' && t !== null && t === e.lastChild && t.nodeType === 3) {
    const node = t as Text;
    if (node.data !== text) node.data = text;
  } else if (e.textContent !== text) e.textContent = text;
}
