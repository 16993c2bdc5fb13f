/**
 * A curve's line as a row of paths of CURVE_CHUNK segments each, so that a new record rewrites
 * only the last path (a few hundred characters the browser parses again), not the whole curve.
 * Consecutive paths share their end point, and the lines' joins and caps are round, so the row
 * draws what one path through every point would.
 */

/** Points per path: a frame of training rewrites one or two paths of this many points. */
export const CURVE_CHUNK = 128;

/** A curve's points by index (a SeriesBuffer, say). */
export interface PathPoints {
  readonly count: number;
  x(i: number): number;
  y(i: number): number;
}

/** A point is drawn when both its coordinates land on the plot (finite, and > 0 on a log axis). */
export function drawable(px: number, py: number): boolean {
  return Number.isFinite(px) && Number.isFinite(py);
}

/**
 * The path through points from..to (inclusive) in pixels: a point off the scale (a diverged run's
 * last record, 0 on a log axis) breaks the line, and the next point starts it again.
 */
export function pathThrough(p: PathPoints, x: (v: number) => number, y: (v: number) => number, from: number, to: number): string {
  let d = '';
  let pen = false;
  for (let i = from; i <= to; i++) {
    const px = x(p.x(i));
    const py = y(p.y(i));
    if (!drawable(px, py)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** How many paths `count` points take: path k runs from point k C to point (k + 1) C. */
function chunksFor(count: number, chunk: number): number {
  if (count <= 1) return count;
  return Math.max(1, Math.ceil((count - 1) / chunk)); // (one path when chunk is Infinity)
}

/**
 * One curve's paths (`ds`), brought up to date by `update`. Between two updates with the same
 * stamp, the points before the last one drawn are taken to be unchanged (a SeriesBuffer appends,
 * and may replace only its newest point, until its epoch changes), so only the paths from there
 * on are built again.
 */
export class ChunkedPath {
  ds: string[] = [];
  private count = 0;
  private stamp: string | null = null;

  /**
   * `stamp` names everything the drawn points depend on besides their count (the points' epoch,
   * the scales); null: rebuild every path. `chunk`: points per path (Infinity: one path, for a
   * dashed line whose dashes must run on across it). Returns the first path index that changed.
   */
  update(p: PathPoints, x: (v: number) => number, y: (v: number) => number, stamp: string | null, chunk = CURVE_CHUNK): number {
    const n = p.count;
    const same = stamp !== null && stamp === this.stamp && n >= this.count;
    // the last point drawn may have been replaced: rebuild from the path that ends there
    const start = same ? Math.max(0, Math.floor((this.count - 2) / chunk)) : 0;
    const total = chunksFor(n, chunk);
    this.ds.length = Math.min(this.ds.length, total);
    for (let k = start; k < total; k++) this.ds[k] = pathThrough(p, x, y, k && k * chunk, Math.min(n - 1, (k + 1) * chunk)); // (0, not 0 x Infinity = NaN)
    this.count = n;
    this.stamp = stamp;
    return Math.min(start, total);
  }
}
