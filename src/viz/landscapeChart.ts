import { axisBottom, axisLeft } from 'd3-axis';
import { contours } from 'd3-contour';
import { scaleLinear, scaleLog } from 'd3-scale';
import type { Selection } from 'd3-selection';
import { contourPath } from './contourPath.ts';
import { interpolateViridis } from './viridis.ts';
import { formatSci } from './format.ts';
import { gridHover } from './chartHover.ts';
import { canvasUnderSvg, layoutSquarePlot, resizingRedraw } from './panelParts.ts';

/**
 * A loss surface on a square grid, drawn as it fills: cells not computed yet take the value of
 * the nearest computed one (the grid fills coarse to fine, so the picture sharpens), shaded on a
 * canvas by log F, with contour lines, the center point and, for the PCA plane, the trajectory
 * in an SVG on top. Hovering reads F at the cell under the pointer.
 */
export interface LandscapeGridView {
  axis: Float64Array; // coordinates along both directions
  values: Float64Array; // resolution^2, row i = b_i, column j = a_j; NaN = not yet
  filled: number;
  total: number;
}

export interface LandscapeOverlay {
  path?: { xs: number[]; ys: number[]; steps: number[]; highlight: number } | null; // highlight: index or -1
  arrow?: boolean; // the downhill direction -u along the a axis
}

export interface LandscapeChart {
  readonly svg: SVGSVGElement;
  readonly canvas: HTMLCanvasElement;
  update(grid: LandscapeGridView | null, overlay: LandscapeOverlay, range: [number, number] | null): void;
}

/** Room under the plot: the x axis and its label, then the colour key with its values of F. */
const KEY_TOP = 48;
const MARGIN = { top: 22, right: 10, bottom: KEY_TOP + 44, left: 52 };

type G = Selection<SVGGElement, unknown, null, undefined>;

/** The colour key of one plot: the ramp from its lowest to its highest F, with values of F on a log axis. */
function createColorKey(svg: Selection<SVGSVGElement, unknown, null, undefined>, plot: G): (side: number, range: [number, number] | null) => void {
  const id = `lsk${Math.random().toString(36).slice(2, 8)}`;
  const gradient = svg.append('defs').append('linearGradient').attr('id', id);
  for (let k = 0; k <= 10; k++) gradient.append('stop').attr('offset', `${k * 10}%`).attr('stop-color', interpolateViridis(1 - k / 10)); // low F bright, as drawn
  const key = plot.append('g').attr('class', 'color-key');
  const bar = key.append('rect').attr('height', 9).attr('fill', `url(#${id})`);
  const axis = key.append('g').attr('class', 'axis');
  const label = key.append('text').attr('class', 'axis-label').attr('text-anchor', 'start').attr('x', 0).attr('y', -3).text('F (colour, log scale)');
  return (side, range) => {
    key.attr('transform', `translate(0,${side + KEY_TOP})`).attr('visibility', range ? 'visible' : 'hidden');
    if (!range) return;
    bar.attr('width', side);
    const s = scaleLog().domain(range).range([0, side]);
    const ticks = [range[0], Math.sqrt(range[0] * range[1]), range[1]];
    axis.attr('transform', 'translate(0,9)').call(axisBottom(s).tickValues(ticks).tickFormat((v) => formatSci(Number(v), 2)).tickSizeOuter(0));
    label.attr('visibility', 'visible');
  };
}

/**
 * Contour lines of log F. The grid is padded with a ring that repeats its edge, so the rings d3
 * closes along the border run along the pad's outer edge, outside the plot, where a clip hides
 * them: no strokes along the plot's edges and corners, only the contours themselves.
 */
function drawContours(layer: G, values: Float64Array, R: number, side: number, lo: number, hi: number): void {
  const P = R + 2;
  const clamp = (k: number) => Math.min(R - 1, Math.max(0, k - 1));
  const padded = new Array<number>(P * P);
  for (let i = 0; i < P; i++)
    for (let j = 0; j < P; j++) {
      const v = values[clamp(i) * R + clamp(j)];
      padded[i * P + j] = v > 0 ? Math.log(v) : lo;
    }
  const levels = Array.from({ length: 9 }, (_, k) => lo + ((k + 1) * (hi - lo)) / 10);
  const cell = side / R;
  // padded cell k has its center at (k - 1 + 1/2) cells
  const project = (x: number, y: number): [number, number] => [(x - 1.5) * cell + cell / 2, side - ((y - 1.5) * cell + cell / 2)];
  layer
    .selectAll('path')
    .data(contours().size([P, P]).thresholds(levels)(padded))
    .join('path')
    .attr('class', 'contour')
    .attr('d', (d) => contourPath(d, project));
}

/** Values with the gaps filled from the nearest computed cell (Chebyshev rings around each gap). */
export function fillGaps(values: Float64Array, R: number): Float64Array {
  const out = values.slice();
  for (let i = 0; i < R; i++)
    for (let j = 0; j < R; j++) {
      if (!Number.isNaN(values[i * R + j])) continue;
      search: for (let r = 1; r < R; r++)
        for (let di = -r; di <= r; di++)
          for (let dj = -r; dj <= r; dj++) {
            if (Math.max(Math.abs(di), Math.abs(dj)) !== r) continue;
            const y = i + di;
            const x = j + dj;
            if (y < 0 || x < 0 || y >= R || x >= R) continue;
            const v = values[y * R + x];
            if (!Number.isNaN(v)) {
              out[i * R + j] = v;
              break search;
            }
          }
    }
  return out;
}

export function createLandscapeChart(root: HTMLElement, opt: { title: string; ariaLabel: string; xLabel: string; yLabel: string }): LandscapeChart {
  root.classList.add('landscape-chart');
  const { canvas, svg } = canvasUnderSvg(root, 'landscape-canvas', 'landscape-svg', opt.ariaLabel);
  const title = svg.append('text').attr('class', 'chart-title').attr('y', 13).text(opt.title);
  const plot = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const clipId = `lsc${Math.random().toString(36).slice(2, 8)}`;
  const clipRect = svg.append('defs').append('clipPath').attr('id', clipId).append('rect');
  const contourLayer = plot.append('g').attr('class', 'contours').attr('clip-path', `url(#${clipId})`);
  const colorKey = createColorKey(svg, plot);
  const xAxis = plot.append('g').attr('class', 'axis');
  const yAxis = plot.append('g').attr('class', 'axis');
  const xLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end').text(opt.xLabel);
  const yLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end').attr('transform', 'rotate(-90)').text(opt.yLabel);
  const arrow = plot.append('g').attr('class', 'downhill');
  const pathLayer = plot.append('g');
  const center = plot.append('circle').attr('class', 'center-mark').attr('r', 4.5).attr('visibility', 'hidden');
  const mark = plot.append('circle').attr('class', 'hover-dot').attr('r', 4).attr('visibility', 'hidden');
  const overlayRect = gridHover(root, plot, mark, {
    side: () => side,
    cells: () => (grid && filledValues ? grid.axis.length : 0),
    origin: MARGIN,
    read: (row, j) => {
      const R = grid!.axis.length;
      const i = R - 1 - row; // row i is b_i, drawn bottom-up
      const v = grid!.values[i * R + j];
      return { text: `a = ${formatSci(grid!.axis[j], 2)}, b = ${formatSci(grid!.axis[i], 2)}: F = ${Number.isNaN(v) ? 'not yet computed' : formatSci(v)}`, key: `${i},${j}` };
    },
    place: (x, y, size) => mark.attr('cx', x + size / 2).attr('cy', y + size / 2), // the cell's center
  });

  let grid: LandscapeGridView | null = null;
  let filledValues: Float64Array | null = null;
  let overlay: LandscapeOverlay = {};
  let range: [number, number] | null = null;
  let side = 0;

  function layout(rootWidth: number): void {
    side = layoutSquarePlot(rootWidth, { svg, canvas, overlay: overlayRect }, MARGIN, [220, 520]);
    xLabel.attr('x', side).attr('y', side + 34);
    clipRect.attr('width', side).attr('height', side);
    yLabel.attr('x', 0).attr('y', -40);
    title.attr('x', MARGIN.left);
  }

  function colorOf(v: number, lo: number, hi: number): string {
    const t = (Math.log(v) - lo) / (hi - lo || 1);
    return interpolateViridis(1 - Math.min(1, Math.max(0, t))); // low loss bright
  }

  function draw(): void {
    if (side <= 0) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const ext = grid ? grid.axis[grid.axis.length - 1] : 1;
    const s = scaleLinear().domain([-ext, ext]).range([0, side]);
    const sy = scaleLinear().domain([-ext, ext]).range([side, 0]);
    xAxis.attr('transform', `translate(0,${side})`).call(axisBottom(s).ticks(5).tickFormat((v) => formatSci(Number(v), 2)).tickSizeOuter(0));
    yAxis.call(axisLeft(sy).ticks(5).tickFormat((v) => formatSci(Number(v), 2)).tickSizeOuter(0));
    contourLayer.selectAll('path').remove();
    pathLayer.selectAll('*').remove();
    arrow.selectAll('*').remove();
    center.attr('visibility', grid ? 'visible' : 'hidden').attr('cx', s(0)).attr('cy', sy(0));
    colorKey(side, grid && filledValues ? range : null);
    if (!grid || !filledValues || !range) return;
    const R = grid.axis.length;
    const [lo, hi] = [Math.log(range[0]), Math.log(range[1])];
    const c = canvas.width / R;
    for (let i = 0; i < R; i++)
      for (let j = 0; j < R; j++) {
        const v = filledValues[i * R + j];
        if (!(v > 0)) continue;
        ctx.fillStyle = colorOf(v, lo, hi);
        // row i is b_i, drawn bottom-up
        ctx.fillRect(Math.floor(j * c), Math.floor((R - 1 - i) * c), Math.ceil(c), Math.ceil(c));
      }
    drawContours(contourLayer, filledValues, R, side, lo, hi);
    if (overlay.arrow) {
      const len = Math.min(side * 0.3, 60);
      arrow.append('line').attr('class', 'arrow').attr('x1', s(0)).attr('y1', sy(0)).attr('x2', s(0) - len).attr('y2', sy(0));
      arrow
        .append('path')
        .attr('class', 'arrow')
        .attr('d', `M${s(0) - len + 7},${sy(0) - 5}L${s(0) - len},${sy(0)}L${s(0) - len + 7},${sy(0) + 5}`);
      // a dark plate under the label (no paint-order halo: downloads inline only plain presentation)
      arrow.append('rect').attr('class', 'arrow-plate').attr('x', s(0) - len - 2).attr('y', sy(0) - 21).attr('width', 28).attr('height', 15).attr('rx', 3);
      arrow.append('text').attr('class', 'arrow-label').attr('x', s(0) - len + 2).attr('y', sy(0) - 9).text('\u2212\u2207F');
    }
    const p = overlay.path;
    if (p && p.xs.length) {
      pathLayer
        .append('path')
        .attr('class', 'path-line')
        .attr('d', p.xs.map((x, i) => `${i ? 'L' : 'M'}${s(x).toFixed(1)},${sy(p.ys[i]).toFixed(1)}`).join(''));
      pathLayer
        .selectAll('circle')
        .data(p.xs.map((x, i) => i))
        .join('circle')
        .attr('class', (i) => (i === p.highlight ? 'path-now' : 'path-dot'))
        .attr('r', (i) => (i === p.highlight ? 5.5 : 2.5))
        .attr('cx', (i) => s(p.xs[i]))
        .attr('cy', (i) => sy(p.ys[i]));
      pathLayer.selectAll<SVGCircleElement, number>('circle.path-now').raise();
    }
  }

  const redraw = resizingRedraw(root, draw, layout);

  return {
    svg: svg.node()!,
    canvas,
    update(g, o, r) {
      grid = g;
      overlay = o;
      range = r;
      filledValues = g ? fillGaps(g.values, g.axis.length) : null;
      redraw();
    },
  };
}
