import type { Notice } from '../state/urlState.ts';

/**
 * A small box that lists repaired or refused values. Messages quote what the reader (or a link)
 * supplied, so they are set as text, never as HTML.
 */
export interface NoticeBox {
  show(notices: readonly Notice[], intro: string): void;
}

export function createNoticeBox(root: HTMLElement): NoticeBox {
  root.classList.add('notices');
  root.setAttribute('role', 'alert');
  root.hidden = true;
  return {
    show(notices, intro) {
      if (notices.length === 0) return;
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'btn notices-close';
      close.textContent = 'Dismiss';
      close.addEventListener('click', () => {
        root.hidden = true;
        root.replaceChildren();
      });
      root.replaceChildren(...noticeListNodes(intro, notices), close);
      root.hidden = false;
    },
  };
}

/** The intro line and the list of messages, one item a notice (set as text: they quote input). */
export function noticeListNodes(intro: string, notices: readonly Notice[]): [HTMLParagraphElement, HTMLUListElement] {
  const p = document.createElement('p');
  p.textContent = intro;
  const ul = document.createElement('ul');
  for (const n of notices) {
    const li = document.createElement('li');
    li.textContent = n.message;
    li.dataset.param = n.param;
    ul.append(li);
  }
  return [p, ul];
}
