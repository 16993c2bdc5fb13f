/**
 * How much training a worker does before it looks at its messages again, measured rather than
 * guessed: it keeps a running estimate of what one update costs at this width and hands the
 * stepper a budget that leaves room for the last update, so a slice ends near `targetMs` whether
 * an update takes 20 microseconds (m = 8) or half a second (m = 4096). It also measures the
 * throughput the page shows as steps per second.
 */
export class SliceBudget {
  /** Estimated milliseconds per update (with its record); NaN before the first slice. */
  stepMs = NaN;
  private readonly window: { t: number; steps: number }[] = [];
  private trainedMs = 0; // time spent inside slices: pauses do not count against the rate
  private trainedSteps = 0;

  constructor(
    readonly targetMs = 12,
    readonly windowMs = 1000,
  ) {}

  /** The time budget to pass to RunStepper.advance: it checks the clock after each update. */
  advanceBudget(): number {
    if (!Number.isFinite(this.stepMs)) return 0; // first slice: one update, to measure it
    return Math.max(0, this.targetMs - this.stepMs);
  }

  /** Records a slice that made `steps` updates in `elapsedMs`. */
  observe(steps: number, elapsedMs: number): void {
    if (steps <= 0) return;
    const perStep = elapsedMs / steps;
    // a quick first estimate, then a smoothed one: widths do not change within a run
    this.stepMs = Number.isFinite(this.stepMs) ? 0.7 * this.stepMs + 0.3 * perStep : perStep;
    this.trainedMs += elapsedMs;
    this.trainedSteps += steps;
    this.window.push({ t: this.trainedMs, steps: this.trainedSteps });
    while (this.window.length > 2 && this.trainedMs - this.window[1].t >= this.windowMs) this.window.shift();
  }

  /** Updates per second of training time over about the last `windowMs`. */
  get stepsPerSecond(): number {
    if (this.window.length === 0) return 0;
    if (this.window.length === 1) return this.trainedMs > 0 ? (1000 * this.trainedSteps) / this.trainedMs : 0;
    const a = this.window[0];
    const b = this.window[this.window.length - 1];
    return b.t > a.t ? (1000 * (b.steps - a.steps)) / (b.t - a.t) : 0;
  }
}
