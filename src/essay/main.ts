import 'katex/dist/katex.min.css';
import '../style.css';
import './print.css'; // the essay on paper: figures as drawn, no controls, references with addresses
import 'virtual:katex-styles.css'; // the math's positioning, as classes (scripts/vitePluginKatex.ts)
import { readState } from '../state/urlState.ts';
import { createNoticeBox } from './notices.ts';
import { createUrlWriter, replaceUrlNow } from './urlSync.ts';
import { PANELS } from './panelRegistry.ts';
import { sharedPool } from '../train/sharedPool.ts';
import { attachEmbedButton } from './embed/embedButton.ts';
import { mergePanelState } from './figures/choices.ts';
import { keepReaderInPlace, landSamePageLinks } from './contentsLinks.ts';

/**
 * The essay's wiring: the state comes from the URL (repaired where it is invalid, with a notice),
 * each figure slot gets its panel, and the panels' changes go back into the URL. The math was
 * rendered into the HTML at build time (see scripts/vitePluginKatex.ts); only its CSS loads here.
 */
const { state, notices } = readState(new URLSearchParams(location.search));
const noticeRoot = document.querySelector<HTMLElement>('[data-notices]');
const noticeBox = noticeRoot ? createNoticeBox(noticeRoot) : null;
if (notices.length) {
  noticeBox?.show(notices, 'Some settings in this link could not be used as they were:');
  replaceUrlNow(state);
}

landSamePageLinks(); // contents links land their headings at the top, whatever the figures they pass do
keepReaderInPlace(); // and the text stays put while figures above it grow

const writeUrl = createUrlWriter();
let page = state; // what the URL shows: the run settings and every panel's choices
for (const figure of document.querySelectorAll<HTMLElement>('[data-panel]')) {
  const id = figure.dataset.panel ?? '';
  const entry = PANELS[id];
  if (!entry) continue;
  let latest = state;
  figure.dataset.title = entry.title; // downloads put it above the chart
  const mounted = entry.mount(figure, {
    state,
    onState: (s) => {
      latest = s;
      page = mergePanelState(page, s, id, Boolean(entry.ownsRunSettings));
      writeUrl(page);
    },
    onNotice: (n) => noticeBox?.show(n, 'A setting was adjusted:'),
    pool: sharedPool(),
  });
  // copies an iframe and a <wide-enough-panel> snippet for what the figure shows now
  attachEmbedButton(figure, id, entry.title, () => (latest === state ? mounted.state : latest));
}
