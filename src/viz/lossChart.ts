import { axisBottom, axisLeft, line, scaleLinear, scaleLog, select } from 'd3';
import type { RunRecord } from '../train/run.ts';

/** The loss F(W_t) against the step t, on a log scale. Built once; `update` redraws from records. */
export interface LossChart {
  /** Redraws from all records so far (oldest first); `threshold` draws the stop line F = eps F_0. */
  update(records: readonly RunRecord[], threshold?: number): void;
}

const MARGIN = { top: 12, right: 16, bottom: 40, left: 52 };

const SUPERSCRIPT: Record<string, string> = {
  '-': '\u207b', '0': '\u2070', '1': '\u00b9', '2': '\u00b2', '3': '\u00b3', '4': '\u2074',
  '5': '\u2075', '6': '\u2076', '7': '\u2077', '8': '\u2078', '9': '\u2079',
};

/** 1e-3 -> "10⁻³". */
export function powerOfTen(v: number): string {
  const k = Math.round(Math.log10(v));
  return `10${String(k).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
}

/** The powers of ten in [lo, hi], thinned to at most `max` labels. */
function decadeTicks(lo: number, hi: number, max: number): number[] {
  const a = Math.ceil(Math.log10(lo) - 1e-9);
  const b = Math.floor(Math.log10(hi) + 1e-9);
  const stride = Math.max(1, Math.ceil((b - a + 1) / max));
  const out: number[] = [];
  for (let k = b; k >= a; k -= stride) out.push(10 ** k);
  return out;
}

export function createLossChart(root: HTMLElement): LossChart {
  const svg = select(root)
    .append('svg')
    .attr('class', 'loss-chart')
    .attr('role', 'img')
    .attr('aria-label', 'Training loss against step, log scale');
  const plot = svg.append('g');
  const xAxis = plot.append('g').attr('class', 'axis axis-x');
  const yAxis = plot.append('g').attr('class', 'axis axis-y');
  const xLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end').text('step t');
  const yLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'start').text('loss F(W\u209c)');
  const thresholdLine = plot.append('line').attr('class', 'threshold');
  const thresholdLabel = plot.append('text').attr('class', 'threshold-label').attr('text-anchor', 'start');
  const path = plot.append('path').attr('class', 'loss-line');
  const head = plot.append('circle').attr('class', 'loss-head').attr('r', 3.5);

  let last: readonly RunRecord[] = [];
  let lastThreshold: number | undefined;

  function draw(): void {
    const records = last.filter((r) => Number.isFinite(r.loss) && r.loss > 0);
    const width = Math.max(240, root.clientWidth);
    const height = Math.round(Math.min(340, Math.max(200, width * 0.5)));
    const w = width - MARGIN.left - MARGIN.right;
    const h = height - MARGIN.top - MARGIN.bottom;
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    plot.attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);

    const lastStep = records.length ? records[records.length - 1].step : 0;
    const x = scaleLinear().domain([0, Math.max(10, lastStep)]).nice().range([0, w]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of records) {
      lo = Math.min(lo, r.loss);
      hi = Math.max(hi, r.loss);
    }
    if (lastThreshold !== undefined && lastThreshold > 0) lo = Math.min(lo, lastThreshold);
    if (!(lo < Infinity)) [lo, hi] = [1e-3, 1];
    // a little room below the lowest value, so the stop line and the last point clear the axis
    const y = scaleLog().domain([lo / 2, Math.max(hi, lo * 10)]).nice().range([h, 0]);
    const [ylo, yhi] = y.domain() as [number, number];

    xAxis
      .attr('transform', `translate(0,${h})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(w / 80))).tickSizeOuter(0));
    yAxis.call(
      axisLeft(y)
        .tickValues(decadeTicks(ylo, yhi, Math.max(3, Math.floor(h / 28))))
        .tickFormat((v) => powerOfTen(Number(v)))
        .tickSizeOuter(0),
    );
    xLabel.attr('x', w).attr('y', h + 34);
    yLabel.attr('x', 6).attr('y', 4).attr('dy', '0.71em');

    if (lastThreshold !== undefined && lastThreshold > 0) {
      const ty = y(lastThreshold);
      thresholdLine.attr('x1', 0).attr('x2', w).attr('y1', ty).attr('y2', ty).attr('visibility', 'visible');
      thresholdLabel.attr('x', 6).attr('y', ty - 5).attr('visibility', 'visible').text('stop at F = \u03b5 F\u2080');
    } else {
      thresholdLine.attr('visibility', 'hidden');
      thresholdLabel.attr('visibility', 'hidden');
    }

    const toPath = line<RunRecord>()
      .x((r) => x(r.step))
      .y((r) => y(r.loss));
    path.attr('d', toPath(records as RunRecord[]) ?? '');
    const end = records[records.length - 1];
    if (end) head.attr('cx', x(end.step)).attr('cy', y(end.loss)).attr('visibility', 'visible');
    else head.attr('visibility', 'hidden');
  }

  // Redraw when the width changes; the height follows from the width, so ignore height changes.
  let drawnWidth = root.clientWidth;
  new ResizeObserver(() => {
    if (root.clientWidth === drawnWidth) return;
    drawnWidth = root.clientWidth;
    draw();
  }).observe(root);
  draw();

  return {
    update(records, threshold) {
      last = records;
      lastThreshold = threshold;
      draw();
    },
  };
}
