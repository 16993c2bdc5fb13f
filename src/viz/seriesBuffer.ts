/**
 * A curve's points, bounded: when the buffer is full, every other point is dropped and from then
 * on only every second new point is kept (then every fourth, ...), so a run of a million steps
 * draws with at most `capacity` points and the same shape. The newest point is always kept, so
 * the curve ends where the run is.
 */
export class SeriesBuffer {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  length = 0;
  private stride = 1;
  private skipped = 0;
  /** The newest point when the stride skipped it (drawn after the kept ones). */
  private tail: [number, number] | null = null;
  /** Bumped on every change, so a chart redraws a curve only when it changed. */
  version = 0;
  /**
   * Bumped when points other than the newest change (halving, clearing): while it stays, the
   * buffer only appends, or replaces its newest point, so a chart extends the curve it drew.
   */
  epoch = 0;

  constructor(readonly capacity = 2048) {
    if (capacity < 4 || capacity % 2) throw new Error('capacity must be an even number >= 4');
    this.xs = new Float64Array(capacity);
    this.ys = new Float64Array(capacity);
  }

  push(x: number, y: number): void {
    this.version++;
    if (this.length > 0 && ++this.skipped < this.stride) {
      this.tail = [x, y];
      return;
    }
    this.skipped = 0;
    this.tail = null;
    if (this.length === this.capacity) this.halve();
    this.xs[this.length] = x;
    this.ys[this.length] = y;
    this.length++;
  }

  private halve(): void {
    // keep points 0, 2, 4, ...: the first point (step 0, F_0) always survives
    const half = this.capacity / 2;
    for (let i = 0; i < half; i++) {
      this.xs[i] = this.xs[2 * i];
      this.ys[i] = this.ys[2 * i];
    }
    this.length = half;
    this.stride *= 2;
    this.epoch++;
  }

  /** Number of points to draw: the kept ones and the newest. */
  get count(): number {
    return this.length + (this.tail ? 1 : 0);
  }

  x(i: number): number {
    return i < this.length ? this.xs[i] : this.tail![0];
  }

  y(i: number): number {
    return i < this.length ? this.ys[i] : this.tail![1];
  }

  get lastX(): number {
    return this.count ? this.x(this.count - 1) : NaN;
  }

  get lastY(): number {
    return this.count ? this.y(this.count - 1) : NaN;
  }

  clear(): void {
    this.length = 0;
    this.stride = 1;
    this.skipped = 0;
    this.tail = null;
    this.version++;
    this.epoch++;
  }
}
