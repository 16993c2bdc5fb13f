import { max } from 'd3-array';
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scaleLog } from 'd3-scale';
import { select } from 'd3-selection';
import './hero.css';
import { formatInt, powerOfTen } from './format.ts';
import { el, onWidthChange } from './panelParts.ts';
import { widthTone } from './widthTone.ts';

/**
 * The hero panel under the essay's opening paragraph: a width slider and the training loss,
 * F_t / F_0 against the step, of a network at each of a few widths. Every width's curve is there
 * from the start (recorded at build time), the chosen one drawn bold; moving the slider also trains
 * that width live, and its live curve replaces the recorded one as it comes in.
 */
export interface HeroCurve {
  m: number;
  steps: readonly number[];
  /** F_t / F_0. */
  ratio: readonly number[];
  /** 'recorded' or 'live' (a live curve may still be growing). */
  source: 'recorded' | 'live';
  /** The chosen width's curve; another width's; the chosen width's recorded curve under its growing live one. */
  emphasis: 'chosen' | 'other' | 'underlay';
}

export interface HeroView {
  widths: readonly number[];
  width: number;
  curves: readonly HeroCurve[];
  /** The level the runs stop at, eps (F <= eps F_0). */
  eps: number;
  /** What the chosen width's curve shows, one sentence. */
  readout: string;
  status: string;
  caption: string;
}

export interface HeroPanel {
  update(view: HeroView): void;
}

const MARGIN = { top: 10, right: 12, bottom: 34, left: 48 };

/**
 * The path d3-shape's line() draws through the points (linear, coordinates rounded to 3 decimals as
 * its d3-path does; a lone point closes, "M x,y Z"), written here so the hero's script does not
 * carry d3-shape (14 KB minified).
 */
export function polyline(pts: readonly (readonly [number, number])[]): string {
  const r = (v: number) => Math.round(v * 1000) / 1000;
  let d = '';
  for (let i = 0; i < pts.length; i++) d += `${i ? 'L' : 'M'}${r(pts[i][0])},${r(pts[i][1])}`;
  return pts.length === 1 ? `${d}Z` : d;
}

export function createHero(figure: HTMLElement, widths: readonly number[], onWidth: (m: number) => void): HeroPanel {
  figure.classList.add('panel', 'hero-panel');
  figure.replaceChildren();
  const controls = el('div', 'hero-controls', figure);
  const label = el('label', 'hero-label', controls);
  const labelText = el('span', 'hero-label-text', label);
  const input = el('input', 'hero-slider', label);
  input.type = 'range';
  input.min = '0';
  input.max = String(widths.length - 1);
  input.step = '1';
  const readout = el('p', 'hero-readout', figure);
  readout.setAttribute('aria-live', 'polite');
  const plot = el('div', 'hero-plot', figure);
  const svg = select(plot).append('svg').attr('class', 'hero-svg').attr('role', 'img').attr('data-export', '');
  const status = el('p', 'hero-status', figure);
  const caption = el('figcaption', 'hero-caption', figure);
  let view: HeroView | null = null;

  const at = (i: number): number => widths[Math.max(0, Math.min(widths.length - 1, i))];
  input.addEventListener('input', () => onWidth(at(Number(input.value))));

  function draw(): void {
    if (!view || !sizing.measured) return; // the first measure draws it
    const v = view;
    const w = Math.max(260, sizing.width || 600);
    const h = Math.round(Math.max(170, Math.min(260, w * 0.38)));
    svg.attr('viewBox', `0 0 ${w} ${h}`).attr('width', w).attr('height', h);
    svg.attr('aria-label', `Training loss F over F at step 0 against the step, for widths ${v.widths.join(', ')}; width ${v.width} highlighted. ${v.readout}`);
    const xMax = max(v.curves, (c) => c.steps[c.steps.length - 1]) ?? 100;
    const x = scaleLinear().domain([0, Math.max(10, xMax)]).range([MARGIN.left, w - MARGIN.right]);
    const y = scaleLog().domain([Math.min(v.eps / 2, 1e-4), 2]).range([h - MARGIN.bottom, MARGIN.top]).clamp(true);
    svg.selectAll('*').remove();
    svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${h - MARGIN.bottom})`).call(axisBottom(x).ticks(Math.max(2, Math.floor(w / 90))).tickFormat((d) => formatInt(Number(d))));
    svg.append('g').attr('class', 'axis').attr('transform', `translate(${MARGIN.left},0)`).call(axisLeft(y).tickValues([1, 1e-1, 1e-2, 1e-3, 1e-4]).tickFormat((d) => powerOfTen(Number(d))));
    svg.append('text').attr('class', 'hero-axis-label').attr('x', w - MARGIN.right).attr('y', h - 4).attr('text-anchor', 'end').text('step');
    svg.append('text').attr('class', 'hero-axis-label').attr('x', MARGIN.left + 4).attr('y', MARGIN.top + 10).text('F / F\u2080');
    svg.append('line').attr('class', 'hero-eps').attr('x1', x(0)).attr('x2', x.range()[1]).attr('y1', y(v.eps)).attr('y2', y(v.eps));
    const rank = { other: 0, underlay: 1, chosen: 2 } as const;
    const order = [...v.curves].sort((a, b) => rank[a.emphasis] - rank[b.emphasis]);
    for (const c of order) {
      const pts = c.ratio.map((r, i) => [x(c.steps[i]), y(Math.max(r, 1e-12))] as [number, number]);
      const chosen = c.emphasis === 'chosen';
      svg
        .append('path')
        .attr('class', `hero-curve curve hero-${c.emphasis} hero-${c.source}`)
        .style('--tone', String(widthTone(c.m)))
        .attr('d', polyline(pts));
      if (chosen && pts.length) {
        const [px, py] = pts[pts.length - 1];
        svg.append('text').attr('class', 'hero-curve-label').attr('x', Math.min(px + 6, w - MARGIN.right - 60)).attr('y', py - 6).text(`m = ${c.m}`);
      }
    }
  }
  const sizing = onWidthChange(plot, draw);

  return {
    update(next) {
      view = next;
      const i = next.widths.indexOf(next.width);
      if (document.activeElement !== input || Number(input.value) !== i) input.value = String(i);
      labelText.textContent = `Width m = ${next.width}`;
      input.setAttribute('aria-valuetext', `width ${next.width}`);
      if (readout.textContent !== next.readout) readout.textContent = next.readout;
      status.textContent = next.status;
      caption.textContent = next.caption;
      draw();
    },
  };
}
