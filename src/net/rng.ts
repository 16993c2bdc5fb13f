/**
 * Seeded random numbers. xoshiro128** seeded through splitmix32, so a (seed, stream) pair always
 * gives the same sequence on every JavaScript engine (only 32-bit integer ops, Math.imul).
 * Streams are independent: data, initialization and mini-batch order each get their own, so
 * changing the init seed never changes the data.
 */
export type StreamName = 'data' | 'init' | 'batch' | 'landscape' | 'teacher' | 'test' | 'noise';

const STREAM_SALT: Record<StreamName, number> = {
  data: 0x9e3779b9,
  init: 0x85ebca6b,
  batch: 0xc2b2ae35,
  landscape: 0x27d4eb2f,
  // the smooth teacher's weights, its held-out test points and its label noise (src/net/teacher.ts)
  teacher: 0x165667b1,
  test: 0xd3a2646c,
  noise: 0xfd7046c5,
};

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(seed: number, stream: StreamName = 'data') {
    const st = { s: (seed ^ STREAM_SALT[stream]) | 0 };
    // Mix the high part of seeds above 2^32 too (seeds are validated as safe integers).
    st.s = (st.s + Math.floor(seed / 4294967296)) | 0;
    this.s0 = splitmix32(st);
    this.s1 = splitmix32(st);
    this.s2 = splitmix32(st);
    this.s3 = splitmix32(st);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next uint32. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, k). */
  int(k: number): number {
    return Math.floor(this.uniform() * k);
  }

  /** Standard normal by Box-Muller (both values used). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /**
   * Fill with N(0, variance) entries: the numbers sd * normal() would give, in the same order, with
   * the pairs generated inline (no spare kept between calls inside the loop; m = 4096 draws 33M).
   */
  fillNormal(out: Float32Array | Float64Array, variance: number): void {
    const sd = Math.sqrt(variance);
    const n = out.length;
    let i = 0;
    if (n > 0 && this.spareNormal !== null) out[i++] = sd * this.normal();
    for (; i + 1 < n; i += 2) {
      let u = this.uniform();
      while (u === 0) u = this.uniform();
      const v = this.uniform();
      const radius = Math.sqrt(-2 * Math.log(u));
      out[i] = sd * (radius * Math.cos(2 * Math.PI * v));
      out[i + 1] = sd * (radius * Math.sin(2 * Math.PI * v));
    }
    if (i < n) out[i] = sd * this.normal(); // leaves the pair's second value as the spare, as normal() does
  }

  /** Fisher-Yates shuffle in place. */
  shuffle(a: Int32Array | number[]): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
