import { button, el } from '../../viz/panelParts.ts';

/**
 * What a figure shows when runs of its failed (their worker died, say): how many and why, and a
 * button that trains them again. Runs that fail do not come back by themselves, so without this a
 * figure would sit on "failed" for good.
 */
export interface FailureNotice {
  update(failed: readonly string[]): void;
}

export function createFailureNotice(root: HTMLElement, retry: () => void): FailureNotice {
  const box = el('div', 'figure-failure', root);
  box.setAttribute('role', 'alert');
  box.hidden = true;
  const text = el('span', 'figure-failure-text', box);
  button(box, 'retry-failed', 'Train again', retry);
  let shown = '';
  return {
    update(failed) {
      const message = failed.length === 0 ? '' : `${failed.length === 1 ? 'A run' : `${failed.length} runs`} of this figure failed: ${failed[0]}. `;
      if (message === shown) return;
      shown = message;
      text.textContent = message;
      box.hidden = message === '';
    },
  };
}
