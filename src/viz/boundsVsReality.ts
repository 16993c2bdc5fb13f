import { select, type Selection } from 'd3-selection';
import './theoryPanels.css';
import type { DownloadSource } from './download.ts';
import { formatInt } from './format.ts';
import { chartHover, type HoverHit, type KeyCursor } from './chartHover.ts';
import { el, numberToggle, probeFooter, resizingRedraw, setText, startProbePanel, staticLegend } from './panelParts.ts';

/**
 * The "bounds-vs-reality" panel: on one logarithmic width axis, the width the theorem asks for
 * (its orders with every constant set to 1) and the smallest width that trains to a small loss in
 * practice, found by real runs at widths that double; the reader picks n and L. Draws only.
 */
export const BOUNDS_VS_REALITY_ID = 'bounds-vs-reality';

export interface BvrTried {
  m: number;
  ok: boolean | null; // null while its run goes on
  note: string;
}

export interface BvrView {
  n: number;
  L: number;
  tried: BvrTried[];
  practical: number | null;
  log10Theorem: number | null;
  history: string[];
  numbers: string;
  status: string;
  caption: string;
}

export interface BvrIntents {
  n(v: number): void;
  L(v: number): void;
}

const MARGIN = { left: 14, right: 18, top: 64, bottom: 44 };
/** The zoomed strip under the axis: widths 1 to 2^ZOOM_OCTAVES, where the search happens. */
const ZOOM_OCTAVES = 11;
const ZOOM_DY = 92; // its axis, below the main one

function sup(k: number): string {
  const map: Record<string, string> = { '-': '\u207b', '.': '\u00b7', '0': '\u2070', '1': '\u00b9', '2': '\u00b2', '3': '\u00b3', '4': '\u2074', '5': '\u2075', '6': '\u2076', '7': '\u2077', '8': '\u2078', '9': '\u2079' };
  return String(k).replace(/./g, (c) => map[c] ?? c);
}

/** 10^41.3 -> "10⁴¹·³". */
export function tenTo(exp: number, digits = 1): string {
  return `10${sup(Number(exp.toFixed(digits)))}`;
}

type G<E extends SVGElement> = Selection<E, unknown, null, undefined>;

/** A horizontal axis at height y, `w` px long, with a labelled tick at each value. */
function drawTickAxis(axis: G<SVGGElement>, ticks: readonly number[], at: (v: number) => number, y: number, w: number, label: (v: number) => string): void {
  axis
    .selectAll<SVGGElement, number>('g.tick')
    .data(ticks)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'tick');
      g.append('line').attr('stroke', 'currentColor').attr('y2', 6);
      g.append('text').attr('fill', 'currentColor').attr('y', 18).attr('text-anchor', 'middle');
      return g;
    })
    .attr('transform', (v) => `translate(${at(v)},${y})`)
    .select('text')
    .text(label);
  axis.selectAll('path.domain').data([0]).join('path').attr('class', 'domain').attr('stroke', 'currentColor').attr('d', `M0,${y}H${w}`);
}

/** The widths tried as dots at height y: filled when the width trained, hollow when not, pale while running. */
function drawTried(layer: G<SVGGElement>, tried: readonly BvrTried[], at: (m: number) => number, y: number, r: number): void {
  layer
    .selectAll<SVGCircleElement, BvrTried>('circle')
    .data(tried, (t) => String(t.m))
    .join('circle')
    .attr('class', (t) => `bvr-tried ${t.ok === true ? 'ok' : t.ok === false ? 'fail' : 'running'}`)
    .attr('r', r)
    .attr('cx', (t) => at(t.m))
    .attr('cy', y);
}

/** A vertical mark from `top` down to `bottom` with its label beside its top (dx: to its right, or left when < 0); null hides it. */
function placeMark(line: G<SVGLineElement>, label: G<SVGTextElement>, mark: { x: number; top: number; bottom: number; dx: number; text: string } | null): void {
  line.attr('visibility', mark ? 'visible' : 'hidden');
  label.attr('visibility', mark ? 'visible' : 'hidden');
  if (!mark) return;
  line.attr('x1', mark.x).attr('x2', mark.x).attr('y1', mark.top).attr('y2', mark.bottom);
  label.attr('x', mark.x + mark.dx).attr('y', mark.top + 10).text(mark.text);
}

/** The earlier choices as list items, rebuilt only when they changed; hidden while there are none. */
function showHistory(list: HTMLOListElement, items: readonly string[]): void {
  const stamp = items.join('\n');
  list.hidden = items.length === 0;
  if (list.dataset.stamp === stamp) return;
  list.dataset.stamp = stamp;
  list.replaceChildren(...items.map((h) => Object.assign(document.createElement('li'), { textContent: h })));
}

export function createBoundsVsReality(
  figure: HTMLElement,
  choices: { ns: readonly number[]; Ls: readonly number[] },
  intents: BvrIntents,
  download: Omit<DownloadSource, 'svg' | 'canvases'>,
): { update(v: BvrView): void } {
  const controls = startProbePanel(figure, BOUNDS_VS_REALITY_ID, 'theory-panel');
  const nGroup = numberToggle(controls, 'training points n', choices.ns, (v) => intents.n(v));
  const lGroup = numberToggle(controls, 'depth L', choices.Ls, (v) => intents.L(v));
  const body = el('div', 'probe-body', figure);
  const root = el('div', 'chart-cell', body);
  root.style.position = 'relative';
  const svg = select(root).append('svg').attr('class', 'bvr-svg').attr('data-export', '').attr('role', 'img');
  const plot = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const axis = plot.append('g').attr('class', 'axis');
  const axisLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end').text('width m (log scale, neurons per layer)');
  const gap = plot.append('path').attr('class', 'bvr-gap');
  const gapLabel = plot.append('text').attr('class', 'bvr-label').attr('text-anchor', 'middle');
  const marks = plot.append('g');
  const practice = marks.append('line').attr('class', 'bvr-mark practice');
  const practiceLabel = marks.append('text').attr('class', 'bvr-label practice');
  const theorem = marks.append('line').attr('class', 'bvr-mark theorem');
  const theoremLabel = marks.append('text').attr('class', 'bvr-label theorem').attr('text-anchor', 'end');
  const dots = plot.append('g');
  const zoom = plot.append('g').attr('class', 'bvr-zoom');
  const zoomLinks = zoom.append('path').attr('class', 'bvr-gap').attr('stroke-dasharray', '3 3');
  const zoomAxis = zoom.append('g').attr('class', 'axis');
  const zoomDots = zoom.append('g');
  const zoomLabel = zoom.append('text').attr('class', 'axis-label').attr('text-anchor', 'end');
  const hoverDot = plot.append('circle').attr('class', 'hover-dot').attr('r', 7).attr('visibility', 'hidden');
  const overlay = chartHover(root, plot, hoverDot, nearestMark);
  const legend = staticLegend(figure, 'Marks');
  const numbers = el('p', 'theory-numbers', figure);
  const history = el('ol', 'bvr-history', figure);
  history.setAttribute('aria-label', 'Earlier choices of n and L');
  const { status, caption } = probeFooter(figure, { ...download, svg: () => svg.node() });

  let view: BvrView | null = null;
  let x = (e: number) => e; // log10 m -> px
  let w = 0;
  const ROW = 0;

  function draw(rootWidth: number): void {
    const v = view;
    if (!v) return;
    const width = Math.max(260, rootWidth);
    w = width - MARGIN.left - MARGIN.right;
    const height = MARGIN.top + 24 + ZOOM_DY + MARGIN.bottom;
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    const top = Math.max(4, Math.ceil(((v.log10Theorem ?? 10) + 1) / 5) * 5);
    x = (e: number) => (Math.max(0, Math.min(top, e)) / top) * w;
    const stride = Math.max(1, Math.ceil(top / Math.max(2, Math.floor(w / 44)) / 5) * 5);
    const ticks: number[] = [];
    for (let k = 0; k <= top; k += stride) ticks.push(k);
    const axisY = 24;
    drawTickAxis(axis, ticks, x, axisY, w, (k) => tenTo(k, 0));
    axisLabel.attr('x', w).attr('y', axisY + 36);
    drawTried(dots, v.tried, (m) => x(Math.log10(m)), ROW + 8, 4.5);
    // the zoomed strip: the widths the search tried, an octave apart
    const zy = axisY + ZOOM_DY;
    const zx = (m: number) => (Math.log2(m) / ZOOM_OCTAVES) * w;
    const zTicks = Array.from({ length: ZOOM_OCTAVES + 1 }, (_, k) => 2 ** k).filter((_, k) => w > 420 || k % 2 === 1);
    drawTickAxis(zoomAxis, zTicks, zx, zy, w, formatInt);
    zoomLabel.attr('x', w).attr('y', zy + 36).text(`zoom: widths 1 to ${formatInt(2 ** ZOOM_OCTAVES)}, where the search runs`);
    const zEnd = x(ZOOM_OCTAVES * Math.log10(2));
    zoomLinks.attr("d", `M0,${axisY + 24}L0,${zy - 22}M${zEnd},${axisY + 24}L${w},${zy - 22}`);
    drawTried(zoomDots, v.tried, zx, zy - 10, 5);
    const p = v.practical;
    placeMark(practice, practiceLabel, p ? { x: x(Math.log10(p)), top: -46, bottom: axisY, dx: 5, text: `trains at m = ${formatInt(p)}` } : null);
    const t = v.log10Theorem;
    placeMark(theorem, theoremLabel, t !== null ? { x: x(t), top: -58, bottom: axisY, dx: -5, text: `theorem: m \u2265 ${tenTo(t)}` } : null);
    if (p && t !== null) {
      const a = x(Math.log10(p));
      const b = x(t);
      gap.attr('visibility', 'visible').attr('d', `M${a},-14H${b}M${b - 6},-18L${b},-14L${b - 6},-10`);
      gapLabel.attr('visibility', 'visible').attr('x', (a + b) / 2).attr('y', -20).text(`\u00d7 ${tenTo(t - Math.log10(p))}`);
    } else {
      gap.attr('visibility', 'hidden');
      gapLabel.attr('visibility', 'hidden');
    }
    overlay.attr('x', -MARGIN.left).attr('y', -MARGIN.top).attr('width', width).attr('height', height);
    svg.attr(
      'aria-label',
      `Width axis from 1 to ${tenTo(top, 0)}: ` +
        (p ? `the smallest width that trained is ${p}; ` : 'searching for the smallest width that trains; ') +
        (t !== null ? `the theorem asks for ${tenTo(t)}.` : ''),
    );
  }

  /**
   * The width mark nearest (px, py), if within 40 px or asked by the keyboard (vertical distance
   * counts half): the readout goes under it.
   */
  function nearestMark(px: number, py: number, keys: KeyCursor | null): HoverHit | null {
    const v = view;
    if (!v) return null;
    type Hit = { cx: number; cy: number; text: string };
    const hits: Hit[] = v.tried.map((t) => ({ cx: x(Math.log10(t.m)), cy: ROW + 8, text: `m = ${t.m}: ${t.note}` }));
    for (const t of v.tried) hits.push({ cx: (Math.log2(t.m) / ZOOM_OCTAVES) * w, cy: 24 + ZOOM_DY - 10, text: `m = ${t.m}: ${t.note}` });
    if (v.practical) hits.push({ cx: x(Math.log10(v.practical)), cy: -36, text: `smallest width that trained: m = ${v.practical}` });
    if (v.log10Theorem !== null) hits.push({ cx: x(v.log10Theorem), cy: -48, text: `theorem (constants 1): m \u2265 ${tenTo(v.log10Theorem, 2)}` });
    let best: Hit | null = null;
    let bd = Infinity;
    for (const h of hits) {
      const d = Math.hypot(h.cx - px, (h.cy - py) * 0.5);
      if (d < bd) (bd = d), (best = h);
    }
    if (!best || (bd > 40 && !keys)) return null;
    const { cx, cy, text } = best;
    hoverDot.attr('cx', cx).attr('cy', cy);
    return { text, key: text, place: (width) => [cx + MARGIN.left - width / 2, cy + MARGIN.top + 14], y: cy };
  }

  const redraw = resizingRedraw(root, draw);

  legend.update([
    { color: 'var(--accent)', label: 'a width that trained to the target', dot: true },
    { color: 'var(--muted)', label: 'a width that did not (hollow)', dot: true },
    { color: 'var(--accent)', label: 'smallest width that trained' },
    { color: 'var(--threshold)', label: 'the theorem\u2019s width, constants set to 1' },
  ]);

  return {
    update(v) {
      view = v;
      nGroup.set(v.n);
      lGroup.set(v.L);
      redraw();
      setText(numbers, v.numbers);
      showHistory(history, v.history);
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.n = String(v.n);
      figure.dataset.depth = String(v.L);
      figure.dataset.practical = v.practical ? String(v.practical) : '';
      figure.dataset.tried = String(v.tried.length);
      figure.dataset.theorem = v.log10Theorem !== null ? v.log10Theorem.toFixed(3) : '';
    },
  };
}
