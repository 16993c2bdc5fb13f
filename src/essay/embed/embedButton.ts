import type { PageState } from '../../state/urlState.ts';
import { embedSnippets, snippetsText } from './embedSnippets.ts';

/**
 * An "Embed" button for a figure: copies the iframe and the element snippets for the figure's
 * current state to the clipboard. Where the clipboard is refused (no permission, an insecure
 * origin, an old browser), a dialog shows the text, selected, to copy by hand.
 */
export function attachEmbedButton(figure: HTMLElement, panel: string, title: string, state: () => PageState): HTMLButtonElement {
  const bar = document.createElement('div');
  bar.className = 'embed-bar';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn btn-small embed-btn';
  button.textContent = 'Embed';
  button.title = 'Copy code that puts this panel, as it is now, on another page';
  const status = document.createElement('span');
  status.className = 'embed-status';
  status.setAttribute('role', 'status');
  bar.append(button, status);
  figure.append(bar);

  let clear = 0;
  button.addEventListener('click', async () => {
    const text = snippetsText(embedSnippets(panel, title, state(), new URL('./', location.href).href));
    clearTimeout(clear);
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      status.textContent = 'Embed code copied (an iframe and an element: paste either).';
      clear = window.setTimeout(() => (status.textContent = ''), 6000);
    } catch {
      status.textContent = '';
      showDialog(button, text);
    }
  });
  return button;
}

function showDialog(opener: HTMLElement, text: string): void {
  const dialog = document.createElement('dialog');
  dialog.className = 'embed-dialog';
  dialog.setAttribute('aria-label', 'Embed code');
  const p = document.createElement('p');
  p.textContent = 'Copy this code into your page (the clipboard could not be used): an iframe, or the element.';
  const area = document.createElement('textarea');
  area.readOnly = true;
  area.value = text;
  area.rows = 10;
  area.spellcheck = false;
  area.setAttribute('aria-label', 'Embed code');
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'btn';
  close.textContent = 'Close';
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener.focus();
  });
  dialog.append(p, area, close);
  document.body.append(dialog);
  dialog.showModal();
  area.focus();
  area.select();
}
