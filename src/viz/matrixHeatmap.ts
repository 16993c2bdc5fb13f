import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { interpolateViridis } from './viridis.ts';
import { formatSci } from './format.ts';
import { gridHover } from './chartHover.ts';
import { canvasUnderSvg, layoutSquarePlot, resizingRedraw } from './panelParts.ts';

/**
 * An N x N matrix as a heatmap: cells painted on a canvas (one fillRect per cell, at most once a
 * frame), axes and the hover readout in an SVG laid over it. The color scale is given, so two
 * matrices (K_0 and K_t) share one.
 */
export interface MatrixHeatmap {
  readonly svg: SVGSVGElement;
  readonly canvas: HTMLCanvasElement;
  update(M: Float64Array | null, N: number, range: [number, number]): void;
}

const MARGIN = { top: 20, right: 6, bottom: 30, left: 34 };

export function heatColor(t: number): string {
  return interpolateViridis(Math.min(1, Math.max(0, t)));
}

export function createMatrixHeatmap(root: HTMLElement, title: string, ariaLabel: string, symbol: string): MatrixHeatmap {
  root.classList.add('matrix-heatmap');
  const { canvas, svg } = canvasUnderSvg(root, 'heat-canvas', 'heat-svg', ariaLabel);
  const plot = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const titleText = svg.append('text').attr('class', 'chart-title').attr('x', MARGIN.left).attr('y', 13).text(title);
  const xAxis = plot.append('g').attr('class', 'axis');
  const yAxis = plot.append('g').attr('class', 'axis');
  const xLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end').text('sample j');
  const yLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end').attr('transform', 'rotate(-90)').text('sample i');
  const mark = plot.append('rect').attr('class', 'heat-mark').attr('visibility', 'hidden');
  const overlay = gridHover(root, plot, mark, {
    side: () => side,
    cells: () => (M ? N : 0),
    origin: MARGIN,
    read: (i, j) => ({ text: `${symbol}[${i + 1}, ${j + 1}] = ${formatSci(M![i * N + j])}`, key: `${i},${j}` }),
    place: (x, y, size) => mark.attr('x', x).attr('y', y).attr('width', size).attr('height', size), // outlines the cell
  });

  let M: Float64Array | null = null;
  let N = 0;
  let range: [number, number] = [0, 1];
  let side = 0;

  function layout(rootWidth: number): void {
    side = layoutSquarePlot(rootWidth, { svg, canvas, overlay }, MARGIN, [150, 320]);
    xLabel.attr('x', side).attr('y', side + 26);
    yLabel.attr('x', 0).attr('y', -24);
    titleText.attr('x', MARGIN.left);
  }

  function draw(): void {
    if (side <= 0) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (M && N > 0) {
      const c = canvas.width / N;
      const span = range[1] - range[0] || 1;
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++) {
          ctx.fillStyle = heatColor((M[i * N + j] - range[0]) / span);
          ctx.fillRect(Math.floor(j * c), Math.floor(i * c), Math.ceil(c), Math.ceil(c));
        }
    }
    const s = scaleLinear().domain([0, Math.max(1, N)]).range([0, side]);
    const ticks = N > 0 ? [0, Math.floor(N / 2), N - 1] : [];
    xAxis.attr('transform', `translate(0,${side})`).call(axisBottom(s).tickValues(ticks.map((t) => t + 0.5)).tickFormat((v) => String(Math.floor(Number(v)) + 1)).tickSizeOuter(0));
    yAxis.call(axisLeft(s).tickValues(ticks.map((t) => t + 0.5)).tickFormat((v) => String(Math.floor(Number(v)) + 1)).tickSizeOuter(0));
  }

  const redraw = resizingRedraw(root, draw, layout);

  return {
    svg: svg.node()!,
    canvas,
    update(next, n, r) {
      M = next;
      N = n;
      range = r;
      redraw();
    },
  };
}
