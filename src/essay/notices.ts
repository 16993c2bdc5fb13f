import type { Notice } from '../train/urlState.ts';

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
      const p = document.createElement('p');
      p.textContent = intro;
      const ul = document.createElement('ul');
      for (const n of notices) {
        const li = document.createElement('li');
        li.textContent = n.message;
        li.dataset.param = n.param;
        ul.append(li);
      }
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'btn notices-close';
      close.textContent = 'Dismiss';
      close.addEventListener('click', () => {
        root.hidden = true;
        root.replaceChildren();
      });
      root.replaceChildren(p, ul, close);
      root.hidden = false;
    },
  };
}
