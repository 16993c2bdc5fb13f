import 'katex/dist/katex.min.css';
import '../style.css';
import './print.css'; // the essay on paper: figures as drawn, no controls, references with addresses
import './panelReserve.css'; // each figure's height until its panel mounts (scripts/measurePanelHeights.ts)
import 'virtual:katex-styles.css'; // the math's positioning, as classes (scripts/vitePluginKatex.ts)
import { readState } from '../state/urlState.ts';
import { createNoticeBox } from './notices.ts';
import { createUrlWriter, replaceUrlNow } from './urlSync.ts';
import { PANELS } from './panelRegistry.ts';
import { sharedPool } from '../train/sharedPool.ts';
import { attachEmbedButton } from './embed/embedButton.ts';
import { mergePanelState } from './figures/choices.ts';
import { keepReaderInPlace, landHashChanges, landInitialHash, landSamePageLinks } from './contentsLinks.ts';
import { mountWhenNear } from './mountPanels.ts';

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

const writeUrl = createUrlWriter();
let page = state; // what the URL shows: the run settings and every panel's choices

/** Loads the figure's panel (its own chunk) and mounts it; a chunk that fails to load says so where the notices are. */
async function mountPanel(figure: HTMLElement): Promise<void> {
  const id = figure.dataset.panel ?? '';
  const entry = PANELS[id];
  if (!entry) return;
  let mount;
  try {
    mount = await entry.load();
  } catch (err) {
    noticeBox?.show([{ param: id, message: `the figure "${entry.title}" could not load (${err instanceof Error ? err.message : String(err)}); reloading the page may help` }], 'A figure could not be shown:');
    return;
  }
  let latest = state;
  figure.dataset.title = entry.title; // downloads put it above the chart
  const mounted = mount(figure, {
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

// (the numbers the essay quotes from the runs recorded at build time are in index.html already,
// written by the build: scripts/recordedHtml.ts; each figure's live runs replace them)

// each figure's panel: its own chunk, fetched and mounted as the figure nears the window (its
// figure holds the panel's height until then); data-panels="mounted" on <html> once all have
const near = mountWhenNear([...document.querySelectorAll<HTMLElement>('[data-panel]')], mountPanel, () => {
  document.documentElement.dataset.panels = 'mounted';
});

landSamePageLinks(document, near.mountAround); // contents links land their headings at the top, whatever the figures they pass do
keepReaderInPlace(); // and the text stays put while figures above it grow
landInitialHash(document, near.mountAround); // a link from elsewhere to a place on the page lands there too, as the panels near it load
landHashChanges(document, near.mountAround); // and so does a jump to another #id that is no click (a typed address, Back)
