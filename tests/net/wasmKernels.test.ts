import { execFileSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeDataset } from '../../src/net/data.ts';
import { referenceKernels, type MatrixKernels, type Workspace } from '../../src/net/kernels.ts';
import { Model } from '../../src/net/model.ts';
import { initParams, type NetSpec } from '../../src/net/network.ts';
import { Rng } from '../../src/net/rng.ts';
import { applyMask, axpy, reluInPlace } from '../../src/net/tensor.ts';
import {
  createWasmKernels,
  detectWasmVariant,
  fastestKernels,
  wasmKernelBytes,
  type WasmKernels,
} from '../../src/net/wasmKernels.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { Run } from '../../src/train/run.ts';

// Node 20 validates relaxed SIMD only behind this V8 flag (Chromium and Node >= 22 have it on);
// setting it lets these tests cover both builds.
setFlagsFromString('--experimental-wasm-relaxed-simd');

function randomMatrix(rng: Rng, n: number, zeroFraction: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.uniform() < zeroFraction ? 0 : rng.uniform() * 2 - 1;
  return v;
}

/** |fast - reference| <= tol * (1 + sum_k |a_ik b_kj| + |beta c|) entrywise, tol ~ float32 rounding. */
function expectGemmMatches(
  k: MatrixKernels,
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  beta: number,
  rng: Rng,
  zeroFraction = 0,
): void {
  const a = randomMatrix(rng, M * K, zeroFraction);
  const b = randomMatrix(rng, K * N, zeroFraction / 2);
  const c0 = randomMatrix(rng, M * N, 0);
  const want = Float64Array.from(c0);
  referenceKernels.gemm(transA, transB, M, N, K, alpha, Float64Array.from(a), Float64Array.from(b), beta, want);
  const got = c0.slice();
  k.gemm(transA, transB, M, N, K, alpha, a, b, beta, got);
  const absA = a.map(Math.abs);
  const absB = b.map(Math.abs);
  const mag = new Float64Array(M * N);
  referenceKernels.gemm(transA, transB, M, N, K, Math.abs(alpha), absA, absB, 0, mag);
  for (let i = 0; i < M * N; i++) {
    const tol = 1e-6 * (1 + mag[i] + Math.abs(beta * c0[i])) * Math.max(4, Math.sqrt(K));
    if (!(Math.abs(got[i] - want[i]) <= tol)) {
      throw new Error(
        `gemm(${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}, M=${M}, N=${N}, K=${K}, alpha=${alpha}, beta=${beta}) ` +
          `entry ${i}: got ${got[i]}, want ${want[i]} (tol ${tol})`,
      );
    }
  }
}

const COMBOS: [boolean, boolean][] = [
  [false, true],
  [false, false],
  [true, false],
  [true, true],
];

it('the committed wasm module is built from the current AssemblyScript source', () => {
  execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' });
}, 120_000);

for (const variant of ['simd', 'relaxed-simd'] as const) {
  describe(`wasm kernels (${variant})`, () => {
    let k: WasmKernels;
    beforeAll(async () => {
      const made = await createWasmKernels({ variant });
      if (!made) throw new Error('this Node has WebAssembly SIMD; createWasmKernels returned null');
      if (variant === 'relaxed-simd' && made.variant !== 'relaxed-simd') {
        throw new Error('relaxed SIMD should validate with --experimental-wasm-relaxed-simd');
      }
      k = made;
    });

    it('matches the reference on edge shapes: 1 x 1, K = 0, single rows and columns', () => {
      const rng = new Rng(1, 'data');
      for (const [ta, tb] of COMBOS) {
        for (const [M, N, K] of [
          [1, 1, 1],
          [1, 1, 0],
          [3, 5, 0],
          [1, 37, 5],
          [37, 1, 5],
          [5, 3, 1],
          [1, 1, 129],
          [2, 33, 1],
        ]) {
          for (const [alpha, beta] of [
            [1, 0],
            [0.5, 1],
            [-2, 0.25],
          ]) {
            expectGemmMatches(k, ta, tb, M, N, K, alpha, beta, rng);
          }
        }
      }
    });

    it('matches the reference on random odd shapes, all transposes, alpha/beta variants, zero-heavy inputs', () => {
      const rng = new Rng(2, 'data');
      const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 13, 31, 32, 33, 63, 64, 65, 97];
      for (let t = 0; t < 160; t++) {
        const pick = () => sizes[Math.floor(rng.uniform() * sizes.length)];
        const [ta, tb] = COMBOS[t % 4];
        const alpha = [1, -0.7, 3][t % 3];
        const beta = [0, 1, -0.5, 2][Math.floor(t / 4) % 4];
        const zeros = [0, 0.5, 0.9, 1][Math.floor(t / 16) % 4];
        expectGemmMatches(k, ta, tb, pick(), pick(), pick(), alpha, beta, rng, zeros);
      }
    });

    it('matches the reference on the shapes of a training step (m not a multiple of 4 or 32)', () => {
      const rng = new Rng(3, 'data');
      for (const m of [30, 50, 131]) {
        const n = 19;
        const d = 7;
        expectGemmMatches(k, false, true, n, m, d, 1, 0, rng); // X A^T
        expectGemmMatches(k, false, true, n, m, m, 1, 0, rng, 0.5); // H W^T
        expectGemmMatches(k, false, true, n, m, m, 0.1, 1, rng, 0.5); // ResNet branch
        expectGemmMatches(k, false, true, n, 1, m, 1, 0, rng, 0.5); // output
        expectGemmMatches(k, true, false, 1, m, n, 0.5, 0, rng); // dB
        expectGemmMatches(k, false, false, n, m, 1, 1, 0, rng); // r B
        expectGemmMatches(k, true, false, m, m, n, 0.5, 0, rng, 0.5); // dW
        expectGemmMatches(k, false, false, n, m, m, 1, 0, rng, 0.5); // dP W
        expectGemmMatches(k, true, false, m, d, n, 1, 0, rng, 0.5); // dA
      }
    });

    it('matches the reference when op(B) is too large to pack whole (k-blocked panel order)', () => {
      const rng = new Rng(6, 'data');
      // K * N * 4 bytes > 2 MiB and K > 384: one panel at a time, swept in blocks of 256 k's.
      for (const [ta, tb] of COMBOS) {
        expectGemmMatches(k, ta, tb, 7, 1001, 600, 1, 0, rng, 0.5);
        expectGemmMatches(k, ta, tb, 3, 1003, 777, -0.5, 0.75, rng, 0.3);
      }
    });

    it('reads only the first M*K, K*N, M*N entries of longer buffers and leaves the rest alone', () => {
      const rng = new Rng(4, 'data');
      const [M, N, K] = [6, 10, 9];
      const a = randomMatrix(rng, M * K + 20, 0);
      const b = randomMatrix(rng, K * N + 20, 0);
      const want = randomMatrix(rng, M * N + 20, 0);
      const got = want.slice();
      referenceKernels.gemm(false, true, M, N, K, 1, a, b, 0.5, want);
      k.gemm(false, true, M, N, K, 1, a, b, 0.5, got);
      for (let i = 0; i < M * N; i++) expect(got[i]).toBeCloseTo(want[i], 4);
      expect(Array.from(got.subarray(M * N))).toEqual(Array.from(want.subarray(M * N)));
    });

    it('sends Float64Array operands to the reference kernels, bit for bit', () => {
      const rng = new Rng(5, 'data');
      const [M, N, K] = [5, 7, 6];
      const a = Float64Array.from(randomMatrix(rng, M * K, 0.3));
      const b = Float64Array.from(randomMatrix(rng, K * N, 0));
      const c1 = Float64Array.from(randomMatrix(rng, M * N, 0));
      const c2 = c1.slice();
      for (const [ta, tb] of COMBOS) {
        referenceKernels.gemm(ta, tb, M, N, K, 0.3, a, b, 0.7, c1);
        k.gemm(ta, tb, M, N, K, 0.3, a, b, 0.7, c2);
        expect(Array.from(c2)).toEqual(Array.from(c1));
      }
    });

    it('gives the same 50-step loss curve as the TypeScript kernels, FC and ResNet', () => {
      for (const arch of ['fc', 'resnet'] as const) {
        const config: RunConfig = { ...DEFAULT_CONFIG, arch, m: 72, L: 2, n: 12, d: 6, lr: 0.02, trainA: true, trainB: true };
        const ref = new Run(config, referenceKernels);
        const fast = new Run(config, k);
        for (let s = 0; s <= 50; s++) {
          const a = ref.evaluate();
          const b = fast.evaluate();
          expect(Math.abs(b.loss - a.loss)).toBeLessThanOrEqual(1e-4 * a.loss + 1e-6);
          expect(Math.abs(b.gradNorm - a.gradNorm)).toBeLessThanOrEqual(1e-3 * a.gradNorm + 1e-6);
          ref.update();
          fast.update();
        }
        expect(ref.evaluate().loss).toBeLessThan(0.5 * new Run(config, referenceKernels).evaluate().loss);
      }
    });
  });
}

/** Copies `src` into a fresh workspace array. */
function into(ws: Workspace, src: Float32Array): Float32Array {
  const v = ws.f32(src.length);
  v.set(src);
  return v;
}

describe("workspaces (a model's tensors in wasm memory, worked on in place)", () => {
  let k: WasmKernels;
  beforeAll(async () => {
    k = (await createWasmKernels())!;
  });

  it('a plan beyond 4 GiB gets no workspace (the model falls back to the JS heap); its size no longer wraps at 2^31', () => {
    // --m 16384 --L 4 planned 2^32 bytes of weights; a 32-bit mask made that a 10 MB workspace that
    // then threw "the plan undercounted" with a stack trace from the CLI
    expect(k.workspace!({ floats: 2 ** 30, maskBytes: 0, arrays: 4, gemms: [[16, 16, 16]] })).toBeNull();
  });

  it("in-place products match the reference on a training step's shapes, alpha/beta included", () => {
    const rng = new Rng(7, 'data');
    for (const [M, N, K, ta, tb, beta] of [
      [19, 131, 131, false, true, 0],
      [19, 131, 131, false, false, 1],
      [131, 131, 19, true, false, 0.5],
      [19, 1, 131, false, true, 0],
      [131, 7, 19, true, false, 0],
    ] as const) {
      const ws = k.workspace!({ floats: M * K + K * N + M * N, maskBytes: 0, arrays: 3, gemms: [[M, N, K]] })!;
      const a = into(ws, randomMatrix(rng, M * K, 0.5));
      const b = into(ws, randomMatrix(rng, K * N, 0));
      const c = into(ws, randomMatrix(rng, M * N, 0));
      const want = Float64Array.from(c);
      referenceKernels.gemm(ta, tb, M, N, K, 0.7, Float64Array.from(a), Float64Array.from(b), beta, want);
      ws.kernels.gemm(ta, tb, M, N, K, 0.7, a, b, beta, c);
      for (let i = 0; i < M * N; i++) expect(Math.abs(c[i] - want[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i])) * Math.sqrt(K));
    }
  });

  it('the fused ReLU gives what gemm then the TypeScript ReLU give, bit for bit, on every product path', () => {
    const rng = new Rng(8, 'data');
    // small op(B) (packed whole); large B^T (NT, transposed a panel at a time); large B (NN, packed in groups)
    for (const [M, N, K, tb, beta] of [
      [9, 37, 13, true, 0],
      [9, 37, 13, false, 1],
      [5, 1001, 600, true, 0],
      [5, 1001, 600, true, 1],
      [4, 1003, 777, false, 0.5],
    ] as const) {
      const ws = k.workspace!({ floats: M * K + K * N + 3 * M * N, maskBytes: M * N, arrays: 6, gemms: [[M, N, K]] })!;
      const aHost = randomMatrix(rng, M * K, 0.4);
      aHost[K + 1] = NaN; // row 1 of C turns NaN, which the ReLU maps to 0 with mask 0
      const a = into(ws, aHost);
      const b = into(ws, randomMatrix(rng, K * N, 0));
      const c0 = randomMatrix(rng, M * N, 0);
      const fused = into(ws, c0);
      const mask = ws.mask(M * N);
      const plain = into(ws, c0);
      ws.kernels.gemmRelu(false, tb, M, N, K, 0.7, a, b, beta, fused, mask);
      ws.kernels.gemm(false, tb, M, N, K, 0.7, a, b, beta, plain);
      const want = plain.slice();
      const wantMask = new Uint8Array(M * N);
      reluInPlace(want, wantMask, M * N);
      expect(Buffer.from(fused.buffer, fused.byteOffset, 4 * M * N).equals(Buffer.from(want.buffer))).toBe(true);
      expect(Buffer.from(mask.buffer, mask.byteOffset, M * N).equals(Buffer.from(wantMask.buffer))).toBe(true);
      expect(wantMask.includes(0) && wantMask.includes(1)).toBe(true);
      // a mask outside the workspace takes the unfused path, with the same result
      const elsewhere = new Uint8Array(M * N);
      const again = into(ws, c0);
      ws.kernels.gemmRelu(false, tb, M, N, K, 0.7, a, b, beta, again, elsewhere);
      expect(Array.from(elsewhere)).toEqual(Array.from(wantMask));
    }
  });

  it('mask and update equal the TypeScript loops bit for bit, odd lengths included', () => {
    const rng = new Rng(9, 'data');
    for (const count of [1, 3, 15, 16, 17, 33, 1001]) {
      const ws = k.workspace!({ floats: 3 * count + 8, maskBytes: count, arrays: 4, gemms: [] })!;
      const mask = ws.mask(count);
      reluInPlace(randomMatrix(rng, count, 0.2), mask, count);
      const g = into(ws, randomMatrix(rng, count, 0));
      const dst = ws.f32(count);
      const dstRef = new Float32Array(count);
      ws.kernels.applyMask(g, mask, dst, count);
      applyMask(g.slice(), mask.slice(), dstRef, count);
      expect(Array.from(dst)).toEqual(Array.from(dstRef));

      const y = into(ws, randomMatrix(rng, count, 0));
      const yRef = y.slice();
      ws.kernels.axpy(-3.7e-3, g, y);
      axpy(-3.7e-3, g.slice(), yRef);
      expect(Array.from(y)).toEqual(Array.from(yRef));
    }
  });

  it("a model's tensors live in its own workspace; foreign operands still work and never detach them", () => {
    const spec: NetSpec = { arch: 'fc', d: 5, m: 37, L: 2, dOut: 2, tau: 0, trainA: true, trainB: true };
    const data = makeDataset({ n: 9, d: 5, dOut: 2, labels: 'gaussian' }, new Rng(1, 'data'));
    const given = initParams(spec, new Rng(1, 'init'), 'f32');
    const one = new Model(spec, given, k, data, 'f32');
    const two = new Model(spec, given, k, data, 'f32');
    expect(one.kernels).not.toBe(k);
    expect(one.params.W[0].buffer).toBe(one.cache.H[0].buffer);
    expect(one.params.W[0].buffer).not.toBe(two.params.W[0].buffer);
    expect(one.params.W[0].buffer).not.toBe(k.memory.buffer);
    expect(Array.from(one.params.W[1])).toEqual(Array.from(given.W[1])); // copied in
    const heap = new Model(spec, given, referenceKernels, data, 'f32');
    expect(Math.abs(one.loss() - heap.loss())).toBeLessThan(1e-5 * heap.loss());

    // a product far larger than the workspace's scratch, on heap arrays, through the model's kernels
    const rng = new Rng(9, 'data');
    const big = 300;
    const a = randomMatrix(rng, big * big, 0.5);
    const c = new Float32Array(big * big);
    const want = new Float32Array(big * big);
    one.kernels.gemm(false, true, big, big, big, 1, a, a, 0, c);
    referenceKernels.gemm(false, true, big, big, big, 1, a, a, 0, want);
    for (let i = 0; i < c.length; i += 97) expect(c[i]).toBeCloseTo(want[i], 3);
    // mixed: workspace activations against a heap matrix (the Hessian-vector product does this)
    const v = randomMatrix(rng, spec.m * spec.m, 0);
    const out = new Float32Array(9 * spec.m);
    const outRef = new Float32Array(9 * spec.m);
    one.kernels.gemm(false, true, 9, spec.m, spec.m, 1, one.cache.H[0], v, 0, out);
    referenceKernels.gemm(false, true, 9, spec.m, spec.m, 1, one.cache.H[0].slice(), v, 0, outRef);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(outRef[i], 4);
    expect(one.params.W[0].length).toBe(spec.m * spec.m); // not detached by any growth
    expect(Math.abs(one.loss() - heap.loss())).toBeLessThan(1e-5 * heap.loss());
  });

  it('a model whose workspace cannot be made (memory refused) keeps heap arrays and the copying kernels', () => {
    const spec: NetSpec = { arch: 'fc', d: 3, m: 20, L: 2, dOut: 1, tau: 0, trainA: false, trainB: false };
    const data = makeDataset({ n: 6, d: 3, dOut: 1, labels: 'gaussian' }, new Rng(2, 'data'));
    const given = initParams(spec, new Rng(2, 'init'), 'f32');
    const refused: WasmKernels = { ...k, workspace: () => null };
    const model = new Model(spec, given, refused, data, 'f32');
    expect(model.kernels).toBe(refused);
    expect(model.params).toBe(given);
    const inPlace = new Model(spec, given, k, data, 'f32');
    expect(model.loss()).toBe(inPlace.loss()); // the same kernel code either way
  });

  it('float64 models never use a workspace', () => {
    const spec: NetSpec = { arch: 'fc', d: 3, m: 8, L: 1, dOut: 1, tau: 0, trainA: false, trainB: false };
    const data = makeDataset({ n: 4, d: 3, dOut: 1, labels: 'gaussian' }, new Rng(1, 'data'));
    const given = initParams(spec, new Rng(1, 'init'), 'f64');
    const model = new Model(spec, given, k, data, 'f64');
    expect(model.params).toBe(given);
    expect(model.kernels).toBe(k);
  });
});

describe('fallback', () => {
  it('returns null when the engine has no WebAssembly SIMD', async () => {
    const noSimd = () => false;
    expect(detectWasmVariant(noSimd)).toBeNull();
    expect(await createWasmKernels({ validate: noSimd })).toBeNull();
    expect(await fastestKernels({ validate: noSimd })).toBe(referenceKernels);
  });

  it('returns null when WebAssembly.validate itself is missing or throws', async () => {
    const boom = () => {
      throw new Error('no');
    };
    expect(await createWasmKernels({ validate: boom })).toBeNull();
  });

  it('returns null when compilation throws (a page CSP without wasm-unsafe-eval)', async () => {
    const compile = () => Promise.reject(new WebAssembly.CompileError('Refused to compile: wasm-unsafe-eval'));
    expect(await createWasmKernels({ compile })).toBeNull();
    expect(await fastestKernels({ compile })).toBe(referenceKernels);
  });

  it('uses the plain SIMD build when relaxed SIMD does not validate', async () => {
    const relaxed = wasmKernelBytes('relaxed-simd');
    const validate = (bytes: Uint8Array) => bytes !== relaxed && WebAssembly.validate(bytes as BufferSource);
    expect(detectWasmVariant(validate)).toBe('simd');
    const k = await createWasmKernels({ validate });
    expect(k?.variant).toBe('simd');
  });

  it('stubbing WebAssembly.validate to reject SIMD makes the default path fall back', async () => {
    const original = WebAssembly.validate;
    try {
      (WebAssembly as { validate: typeof WebAssembly.validate }).validate = () => false;
      expect(await createWasmKernels()).toBeNull();
    } finally {
      (WebAssembly as { validate: typeof WebAssembly.validate }).validate = original;
    }
  });
});
