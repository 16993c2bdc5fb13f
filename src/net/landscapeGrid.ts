import type { Probe } from './landscape.ts';
import type { Plane } from './landscapePlanes.ts';

/** Order of grid cells from coarse to fine: stride 2^k lattices first, each cell once. */
export function coarseToFineOrder(resolution: number): Int32Array {
  const order: number[] = [];
  const seen = new Uint8Array(resolution * resolution);
  let stride = 1;
  while (stride * 2 < resolution) stride *= 2;
  const mid = (resolution - 1) >> 1;
  for (; stride >= 1; stride >>= 1) {
    for (let i = mid % stride; i < resolution; i += stride)
      for (let j = mid % stride; j < resolution; j += stride) {
        const k = i * resolution + j;
        if (!seen[k]) {
          seen[k] = 1;
          order.push(k);
        }
      }
  }
  for (let k = 0; k < seen.length; k++) if (!seen[k]) order.push(k);
  return Int32Array.from(order);
}

/**
 * F(W + a u + b v) on a resolution x resolution grid over [-extent, extent]^2, filled coarse to
 * fine so a page can draw it as it fills. values[i * resolution + j] is at (a_j, b_i); NaN = not yet.
 * An odd resolution puts the exact center W on the grid.
 */
export class LandscapeGrid {
  readonly values: Float64Array;
  readonly axis: Float64Array;
  private readonly order: Int32Array;
  private cursor = 0;

  constructor(
    private readonly probe: Probe,
    readonly plane: Plane,
    readonly extent: number,
    readonly resolution: number,
  ) {
    this.values = new Float64Array(resolution * resolution).fill(NaN);
    this.axis = Float64Array.from({ length: resolution }, (_, j) =>
      resolution === 1 ? 0 : -extent + (2 * extent * j) / (resolution - 1),
    );
    const mid = (resolution - 1) / 2;
    if (Number.isInteger(mid)) this.axis[mid] = 0;
    this.order = coarseToFineOrder(resolution);
  }

  get done(): boolean {
    return this.cursor >= this.order.length;
  }

  get filled(): number {
    return this.cursor;
  }

  /** Computes up to `maxPoints` more cells (or until `deadline`, a performance.now() time); returns how many. */
  fill(maxPoints: number, deadline = Infinity): number {
    let count = 0;
    while (!this.done && count < maxPoints && (count === 0 || performance.now() < deadline)) {
      const k = this.order[this.cursor++];
      const i = Math.floor(k / this.resolution);
      const j = k % this.resolution;
      this.values[k] = this.probe.lossAt(this.axis[j], this.plane.u, this.axis[i], this.plane.v);
      count++;
    }
    return count;
  }
}
