import { select } from 'd3-selection';
import { chartHover, type HoverHit } from './chartHover.ts';
import { el, resizingRedraw } from './panelParts.ts';

/**
 * The lazy-ball panel's raster of units x samples of one layer of one run: a marked cell is a
 * (sample, unit) whose ReLU differs from initialization. Painted on a canvas and shown as an SVG
 * image, so it downloads with the charts; hover and the keyboard read one cell.
 */

/** Columns the raster shows at most; wider layers fold neighbouring units into one column (any flip shows). */
const MAX_COLS = 256;

export interface LbRaster {
  m: number;
  n: number;
  layer: number;
  step: number;
  cells: Uint8Array; // n x m, row-major by sample
}

/** The raster in `parent`, under its title (set by the panel); the ink and paper colors are `inkFrom`'s scheme tokens. */
export function createFlipRaster(parent: HTMLElement, inkFrom: HTMLElement): { readonly title: HTMLElement; update(raster: LbRaster | null): void } {
  const rasterRoot = el('div', 'flip-raster chart-cell', parent);
  const title = el('h3', '', rasterRoot);
  const canvas = el('canvas', 'flip-raster-canvas', rasterRoot);
  const svg = select(rasterRoot).append('svg').attr('class', 'flip-raster-svg').attr('data-export', '').attr('role', 'img');
  const plot = svg.append('g').attr('transform', 'translate(54,8)');
  const image = plot.append('image').attr('preserveAspectRatio', 'none');
  const frame = plot.append('rect').attr('fill', 'none').attr('stroke', 'currentColor').attr('stroke-opacity', 0.35);
  const xLab = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end');
  const yLab = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end').attr('transform', 'rotate(-90)');
  const hoverBox = plot.append('rect').attr('class', 'hover-dot').attr('visibility', 'hidden');
  const overlay = chartHover(rasterRoot, plot, hoverBox, cellAt, {
    keyStep: () => [geom.cols ? geom.w / geom.cols : 1, raster ? geom.h / raster.n : 1], // a cell
  });

  let raster: LbRaster | null = null;
  let rasterStamp = '';
  let geom = { w: 0, h: 0, cols: 0, fold: 1 };

  function drawRaster(rootWidth: number): void {
    const width = Math.max(240, rootWidth);
    const r = raster;
    const n = r?.n ?? 16;
    const w = width - 54 - 10;
    const h = Math.max(64, Math.min(200, n * 9));
    svg.attr('width', width).attr('height', h + 8 + 36).attr('viewBox', `0 0 ${width} ${h + 44}`);
    frame.attr('width', w).attr('height', h);
    overlay.attr('width', w).attr('height', h);
    xLab.attr('x', w).attr('y', h + 30).text(r ? `units 1\u2013${r.m} of layer ${r.layer}${geom.fold > 1 ? ` (${geom.fold} per column)` : ''}` : 'units');
    yLab.attr('x', 0).attr('y', -40).text('samples i');
    if (!r) {
      image.attr('href', null).attr('width', 0);
      svg.attr('aria-label', 'Flipped ReLUs: not yet measured');
      geom = { w, h, cols: 0, fold: 1 };
      return;
    }
    const fold = Math.ceil(r.m / MAX_COLS);
    const cols = Math.ceil(r.m / fold);
    geom = { w, h, cols, fold };
    const stamp = `${r.m}|${r.layer}|${r.step}|${r.cells.length}`;
    if (stamp !== rasterStamp) {
      rasterStamp = stamp;
      canvas.width = cols;
      canvas.height = r.n;
      const ctx = canvas.getContext('2d')!;
      const ink = getComputedStyle(inkFrom).getPropertyValue('--threshold').trim() || '#b3261e';
      const paper = getComputedStyle(inkFrom).getPropertyValue('--bg').trim() || '#fff';
      ctx.fillStyle = paper;
      ctx.fillRect(0, 0, cols, r.n);
      ctx.fillStyle = ink;
      for (let i = 0; i < r.n; i++) {
        for (let c = 0; c < cols; c++) {
          let any = 0;
          for (let u = c * fold; u < Math.min(r.m, (c + 1) * fold); u++) any |= r.cells[i * r.m + u];
          if (any) ctx.fillRect(c, i, 1, 1);
        }
      }
      image.attr('href', canvas.toDataURL('image/png'));
    }
    image.attr('width', w).attr('height', h);
    let flipped = 0;
    for (const v of r.cells) flipped += v;
    svg.attr('aria-label', `Flipped ReLUs of layer ${r.layer} at width ${r.m}: ${flipped} of ${r.cells.length} (sample, unit) pairs at step ${r.step}`);
  }

  /** The raster cell under (px, py), or the nearest one: outlines it; the readout goes beside it. */
  function cellAt(px: number, py: number): HoverHit | null {
    const r = raster;
    if (!r || !geom.cols) return null;
    const c = Math.min(geom.cols - 1, Math.max(0, Math.floor((px / geom.w) * geom.cols)));
    const i = Math.min(r.n - 1, Math.max(0, Math.floor((py / geom.h) * r.n)));
    const u0 = c * geom.fold;
    const u1 = Math.min(r.m, u0 + geom.fold);
    let f = 0;
    for (let u = u0; u < u1; u++) f += r.cells[i * r.m + u];
    const cw = geom.w / geom.cols;
    const ch = geom.h / r.n;
    hoverBox.attr('x', c * cw).attr('y', i * ch).attr('width', Math.max(2, cw)).attr('height', ch);
    return {
      text: `sample ${i + 1} \u00b7 ${u1 - u0 > 1 ? `units ${u0 + 1}\u2013${u1}` : `unit ${u0 + 1}`} \u00b7 ${f ? `${f} flipped` : 'none flipped'}`,
      key: `${i}:${u0}`,
      place: () => [c * cw + 54 + 10, Math.max(4, i * ch - 10)],
    };
  }
  const redraw = resizingRedraw(rasterRoot, drawRaster);
  // the raster's colors come from the scheme's tokens: repaint when the scheme changes
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    rasterStamp = '';
    redraw();
  });

  return {
    title,
    update(next) {
      if (next === raster) return;
      raster = next;
      redraw();
    },
  };

}
