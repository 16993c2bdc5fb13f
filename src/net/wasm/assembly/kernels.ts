// @ts-nocheck -- AssemblyScript source (compiled by scripts/build-wasm.mjs), not part of the TypeScript build.
//
// Float32 matrix products for the network's passes, and the element-wise work around them, in
// WebAssembly SIMD.
//
//   C = alpha * op(A) * op(B) + beta * C,   op(A) M x K, op(B) K x N, all row-major.
//
// Every product is computed in one form: op(A) is first compacted row by row into a list of its
// nonzero entries (k, alpha * a_ik), so the zeros ReLU leaves in activations and in masked gradients
// cost nothing; then op(B) is packed into panels of 7 vectors (28 columns), and a row of C is held in
// 7 SIMD registers while the row's nonzeros stream past: acc += a_ik * op(B)[k, panel]. (V8 loads
// all 7 vectors of op(B) before the multiply-adds, so 7 accumulators + 7 loads + the broadcast fill
// its 15 SIMD registers.) An entry of a list is (byte offset of row k in the panel, a_ik), read by
// one 64-bit load, so the inner loop is that load, a broadcast, 7 loads and 7 multiply-adds.
// The memory layout is the caller's (JavaScript's): every pointer is a byte offset into this
// module's memory, and `work` is scratch space of workBytes(...) bytes.
//
// Built twice: with plain SIMD (mul + add) and with relaxed SIMD (fused multiply-add where the
// engine has it); ASC_FEATURE_RELAXED_SIMD is a compile-time constant.

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * Shuffles for i8x16.swizzle, 16 bytes each: entry b moves the 32-bit lanes set in the 4-bit mask b
 * to the front, in order, and zeroes the rest (a "left pack").
 */
const LEFT_PACK: usize = memory.data<u8>([
  128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  4, 5, 6, 7, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 128, 128, 128, 128, 128, 128, 128, 128,
  8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128,
  4, 5, 6, 7, 8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 128, 128, 128, 128,
  12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128,
  4, 5, 6, 7, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 128, 128, 128, 128,
  8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
]);

/**
 * Lists the nonzeros of op(A) = A (stored M x K) row by row, each entry 8 bytes: the i32
 * PANEL_BYTES k (the byte offset of row k in a packed panel, so the kernels add it to the panel's
 * address with no multiply), then the f32 alpha * a_ik; the kernels read both with one 64-bit load
 * (one load fewer per multiply-add step than two arrays: 4-7% faster). The lists are consecutive;
 * row i's is split at every kb-th k: bp[i * (nkb + 1) + t] is its first entry with k >= t kb (t < nkb) and
 * bp[i * (nkb + 1) + nkb] its end, so a block of k can be swept for every row.
 * Four entries at a time: the nonzero lanes are packed to the front of a vector (LEFT_PACK), the
 * whole vector is stored and the list advances by their count, so the lists need 3 spare slots
 * past their total length. -0 counts as zero and NaN as nonzero, as in the scalar test x != 0.
 */
function compactRows(M: i32, K: i32, kb: i32, nkb: i32, alpha: f32, a: usize, list: usize, bp: usize): void {
  const zero = f32x4.splat(0);
  const va = f32x4.splat(alpha);
  const lanes = i32x4(0, PANEL_BYTES, 2 * PANEL_BYTES, 3 * PANEL_BYTES);
  const rs = <usize>(nkb + 1) << 2;
  let q: i32 = 0;
  for (let i: i32 = 0; i < M; i++) {
    const row = a + (<usize>i * <usize>K << 2);
    const bpi = bp + <usize>i * rs;
    for (let t: i32 = 0; t < nkb; t++) {
      store<i32>(bpi + (<usize>t << 2), q);
      const k1 = min(K, (t + 1) * kb);
      let k = t * kb;
      for (; k + 4 <= k1; k += 4) {
        const x = v128.load(row + (<usize>k << 2));
        const bits = i32x4.bitmask(f32x4.ne(x, zero));
        const shuffle = v128.load(LEFT_PACK + (<usize>bits << 4));
        const vals = i8x16.swizzle(f32x4.mul(va, x), shuffle);
        const offs = i8x16.swizzle(i32x4.add(lanes, i32x4.splat(k * PANEL_BYTES)), shuffle);
        const o = list + (<usize>q << 3);
        v128.store(o, v128.shuffle<i32>(offs, vals, 0, 4, 1, 5));
        v128.store(o, v128.shuffle<i32>(offs, vals, 2, 6, 3, 7), 16);
        q += popcnt(bits);
      }
      for (; k < k1; k++) {
        const x = load<f32>(row + (<usize>k << 2));
        store<i32>(list + (<usize>q << 3), k * PANEL_BYTES);
        store<f32>(list + (<usize>q << 3), alpha * x, 4);
        q += i32(x != 0);
      }
    }
    store<i32>(bpi + (<usize>nkb << 2), q);
  }
}

/** dst (K x ldd floats, row-major) = src^T, src stored N x K. Columns N..ldd of dst are zeroed. */
function transpose(N: i32, K: i32, src: usize, dst: usize, ldd: i32): void {
  const N4 = N & ~3;
  const K4 = K & ~3;
  const ldDst = <usize>ldd << 2;
  const ldSrc = <usize>K << 2;
  for (let j: i32 = 0; j < N4; j += 4) {
    const s0 = src + <usize>j * ldSrc;
    const s1 = s0 + ldSrc;
    const s2 = s1 + ldSrc;
    const s3 = s2 + ldSrc;
    const d = dst + (<usize>j << 2);
    for (let k: i32 = 0; k < K4; k += 4) {
      const o = <usize>k << 2;
      const r0 = v128.load(s0 + o);
      const r1 = v128.load(s1 + o);
      const r2 = v128.load(s2 + o);
      const r3 = v128.load(s3 + o);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5); // a0 b0 a1 b1
      const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5); // c0 d0 c1 d1
      const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7); // a2 b2 a3 b3
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7); // c2 d2 c3 d3
      const dk = d + <usize>k * ldDst;
      v128.store(dk, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
      v128.store(dk + ldDst, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
      v128.store(dk + 2 * ldDst, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
      v128.store(dk + 3 * ldDst, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
    }
    for (let k: i32 = K4; k < K; k++) {
      const dk = d + <usize>k * ldDst;
      const o = <usize>k << 2;
      store<f32>(dk, load<f32>(s0 + o));
      store<f32>(dk + 4, load<f32>(s1 + o));
      store<f32>(dk + 8, load<f32>(s2 + o));
      store<f32>(dk + 12, load<f32>(s3 + o));
    }
  }
  for (let j: i32 = N4; j < ldd; j++) {
    for (let k: i32 = 0; k < K; k++) {
      let x: f32 = 0;
      if (j < N) x = load<f32>(src + <usize>j * ldSrc + (<usize>k << 2));
      store<f32>(dst + <usize>k * ldDst + (<usize>j << 2), x);
    }
  }
}

/**
 * Packs op(B)[0..K, j0..j0+w) (w <= ldp columns) into a contiguous K x ldp panel, zero-filling
 * columns past w. op(B) is B (K x N) or, with transB, B^T (B stored N x K).
 */
function pack(transB: bool, N: i32, K: i32, b: usize, j0: i32, w: i32, dst: usize, ldp: i32): void {
  if (transB) {
    transpose(w, K, b + (<usize>j0 * <usize>K << 2), dst, ldp);
    return;
  }
  const ldb = <usize>N << 2;
  const src = b + (<usize>j0 << 2);
  const ld = <usize>ldp << 2;
  if (w == ldp) {
    for (let k: i32 = 0; k < K; k++) {
      const s = src + <usize>k * ldb;
      const d = dst + <usize>k * ld;
      for (let o: usize = 0; o < ld; o += 16) v128.store(d + o, v128.load(s + o));
    }
  } else {
    for (let k: i32 = 0; k < K; k++) {
      const s = src + <usize>k * ldb;
      const d = dst + <usize>k * ld;
      for (let j: i32 = 0; j < ldp; j++) {
        let x: f32 = 0;
        if (j < w) x = load<f32>(s + (<usize>j << 2));
        store<f32>(d + (<usize>j << 2), x);
      }
    }
  }
}

/**
 * Packs B[k0..k1, j0..j1) (B stored K x N) into consecutive panels, widths by panelWidth, each
 * (k1 - k0) x ld. Reads each row of B as one contiguous run of j1 - j0 columns, so B streams from
 * memory in order, and the block it writes stays in L2.
 */
function packBlock(N: i32, b: usize, k0: i32, k1: i32, j0: i32, j1: i32, dst: usize): void {
  const ldb = <usize>N << 2;
  const rows = <usize>(k1 - k0);
  for (let k: i32 = k0; k < k1; k++) {
    const s = b + <usize>k * ldb;
    let panel = dst;
    for (let j: i32 = j0; j < j1; ) {
      const w = min(panelWidth(N, j), N - j);
      const ld = PANEL_LD;
      const d = panel + <usize>(k - k0) * <usize>ld * 4;
      const sj = s + (<usize>j << 2);
      if (w == ld) {
        for (let o: usize = 0; o < (<usize>w << 2); o += 16) v128.store(d + o, v128.load(sj + o));
      } else {
        for (let t: i32 = 0; t < ld; t++) {
          let x: f32 = 0;
          if (t < w) x = load<f32>(sj + (<usize>t << 2));
          store<f32>(d + (<usize>t << 2), x);
        }
      }
      panel += rows * <usize>ld * 4;
      j += w;
    }
  }
}

/**
 * C[i, 0..4V) for `rows` rows (at c, row stride ldc bytes) from the nonzeros [lo[i], hi[i]) of row i
 * (lo, hi: i32 arrays with a row stride of rs bytes); b is op(B) packed K x PANEL_LD (its first 4V
 * columns used). C starts from 0 (zero) or from s * C. V (1 .. 8 vectors) is a constant at each
 * call site: the body is inlined into panelWide and panelNarrow, so each width compiles to its own
 * straight-line kernel with V accumulators in registers and the unused ones gone.
 */
@inline function panelRows(
  V: i32, rows: i32, zero: bool, s: f32, lo: usize, hi: usize, rs: usize, list: usize,
  b: usize, c: usize, ldc: usize,
): void {
  const vs = f32x4.splat(s);
  for (let i: i32 = 0; i < rows; i++) {
    const ci = c + <usize>i * ldc;
    const z = f32x4.splat(0);
    let a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
    if (!zero) {
      if (V > 0) a0 = f32x4.mul(vs, v128.load(ci, 0));
      if (V > 1) a1 = f32x4.mul(vs, v128.load(ci, 16));
      if (V > 2) a2 = f32x4.mul(vs, v128.load(ci, 32));
      if (V > 3) a3 = f32x4.mul(vs, v128.load(ci, 48));
      if (V > 4) a4 = f32x4.mul(vs, v128.load(ci, 64));
      if (V > 5) a5 = f32x4.mul(vs, v128.load(ci, 80));
      if (V > 6) a6 = f32x4.mul(vs, v128.load(ci, 96));
      if (V > 7) a7 = f32x4.mul(vs, v128.load(ci, 112));
    }
    const q1 = list + (<usize>load<i32>(hi + <usize>i * rs) << 3);
    for (let q = list + (<usize>load<i32>(lo + <usize>i * rs) << 3); q < q1; q += 8) {
      const e = load<i64>(q); // (offset, a_ik)
      const v = i32x4.splat(<i32>(e >>> 32));
      const p = b + <usize><u32>e;
      if (V > 0) a0 = madd(v, v128.load(p, 0), a0);
      if (V > 1) a1 = madd(v, v128.load(p, 16), a1);
      if (V > 2) a2 = madd(v, v128.load(p, 32), a2);
      if (V > 3) a3 = madd(v, v128.load(p, 48), a3);
      if (V > 4) a4 = madd(v, v128.load(p, 64), a4);
      if (V > 5) a5 = madd(v, v128.load(p, 80), a5);
      if (V > 6) a6 = madd(v, v128.load(p, 96), a6);
      if (V > 7) a7 = madd(v, v128.load(p, 112), a7);
    }
    if (V > 0) v128.store(ci, a0, 0);
    if (V > 1) v128.store(ci, a1, 16);
    if (V > 2) v128.store(ci, a2, 32);
    if (V > 3) v128.store(ci, a3, 48);
    if (V > 4) v128.store(ci, a4, 64);
    if (V > 5) v128.store(ci, a5, 80);
    if (V > 6) v128.store(ci, a6, 96);
    if (V > 7) v128.store(ci, a7, 112);
  }
}

/** panelRows for PANEL_V vectors (PANEL_LD columns). */
function panelWide(
  rows: i32, zero: bool, s: f32, lo: usize, hi: usize, rs: usize, list: usize,
  b: usize, c: usize, ldc: usize,
): void {
  panelRows(PANEL_V, rows, zero, s, lo, hi, rs, list, b, c, ldc);
}

/**
 * panelRows for a tail panel of v < PANEL_V vectors, as kernels of 4, 2 and 1 vectors side by side
 * (three compiled widths instead of six keep the module small; the common tails are 1, 2 and 4).
 */
function panelNarrow(
  v: i32, rows: i32, zero: bool, s: f32, lo: usize, hi: usize, rs: usize, list: usize,
  b: usize, c: usize, ldc: usize,
): void {
  if (v >= 4) {
    panelRows(4, rows, zero, s, lo, hi, rs, list, b, c, ldc);
    v -= 4;
    b += 64;
    c += 64;
  }
  if (v >= 2) {
    panelRows(2, rows, zero, s, lo, hi, rs, list, b, c, ldc);
    v -= 2;
    b += 32;
    c += 32;
  }
  if (v >= 1) panelRows(1, rows, zero, s, lo, hi, rs, list, b, c, ldc);
}

/** The kernel for a panel of w columns: full width, a narrower tail of whole vectors, or the last w < 4. */
@inline function panel(
  w: i32, rows: i32, zero: bool, s: f32, lo: usize, hi: usize, rs: usize, list: usize,
  b: usize, c: usize, ldc: usize,
): void {
  if (w == PANEL_LD) panelWide(rows, zero, s, lo, hi, rs, list, b, c, ldc);
  else if (w >= 4) panelNarrow(w >> 2, rows, zero, s, lo, hi, rs, list, b, c, ldc);
  else panel1(rows, w, zero, s, lo, hi, rs, list, b, c, ldc);
}

/** As panelWide for one vector of `w` < 4 columns. */
function panel1(
  rows: i32, w: i32, zero: bool, s: f32, lo: usize, hi: usize, rs: usize, list: usize,
  b: usize, c: usize, ldc: usize,
): void {
  for (let i: i32 = 0; i < rows; i++) {
    const ci = c + <usize>i * ldc;
    let a0 = f32x4.splat(0);
    const q1 = list + (<usize>load<i32>(hi + <usize>i * rs) << 3);
    for (let q = list + (<usize>load<i32>(lo + <usize>i * rs) << 3); q < q1; q += 8) {
      const e = load<i64>(q);
      a0 = madd(i32x4.splat(<i32>(e >>> 32)), v128.load(b + <usize><u32>e), a0);
    }
    store<f32>(ci, f32x4.extract_lane(a0, 0) + (zero ? 0 : s * load<f32>(ci)));
    if (w > 1) store<f32>(ci + 4, f32x4.extract_lane(a0, 1) + (zero ? 0 : s * load<f32>(ci + 4)));
    if (w > 2) store<f32>(ci + 8, f32x4.extract_lane(a0, 2) + (zero ? 0 : s * load<f32>(ci + 8)));
  }
}

/** The fused ReLU: relu() on a rows x w block of C (row stride ldc bytes) and of the mask (ldm bytes). */
function reluBlock(rows: i32, w: i32, c: usize, ldc: usize, mask: usize, ldm: usize): void {
  for (let i: i32 = 0; i < rows; i++) relu(w, c + <usize>i * ldc, mask + <usize>i * ldm);
}

/** Panel widths in columns, left to right: PANEL_LD while they fit, then the rest's whole vectors, then its last 1-3 columns. */
@inline function panelWidth(N: i32, j: i32): i32 {
  const r = N - j;
  if (r >= PANEL_LD) return PANEL_LD;
  return r >= 4 ? r & ~3 : r;
}

/**
 * Vectors in a full panel (at most 8): 7 accumulators, 7 loaded vectors of op(B) and the broadcast
 * entry of A fill the 15 SIMD registers V8 gives wasm on x64 (8 spill in Node 20's V8, and 7
 * measured 1-3% faster than 6 in Node and Chromium).
 * Every packed panel holds PANEL_LD columns, whatever its width w (narrower panels are zero-padded),
 * so a row of every panel is PANEL_BYTES long and one list of byte offsets serves them all.
 */
const PANEL_V: i32 = 7;
const PANEL_LD: i32 = PANEL_V * 4;
const PANEL_BYTES: i32 = PANEL_LD * 4;

/** Bytes of one k-block of B a kernel sweeps while it stays in L1, and the block length in k. */
const K_BLOCK: i32 = 256;
/** Largest packed op(B) (bytes) that is packed whole and reused by blocks of rows of C. */
const WHOLE_B_BYTES: usize = 2 << 20;
/** Rows of C per block in the row-block order. */
const ROW_BLOCK: i32 = 8;
/** Panels of op(B) = B (NN, large) packed together, one k-block at a time: 504 columns x K_BLOCK = 504 KiB. */
const GROUP_PANELS: i32 = 18;

/** Entries of the nonzero lists of an M x K op(A) (3 spare: see compactRows). */
@inline function listCap(M: i32, K: i32): usize {
  return <usize>M * <usize>K + 4;
}

/** Scratch bytes gemm needs for these sizes (the caller lays out `work` with at least this much). */
export function workBytes(M: i32, N: i32, K: i32): usize {
  const nkb = <usize>(K / K_BLOCK + 2);
  // block pointers, the lists, A^T when op(A) = A^T, and packed op(B): N / PANEL_LD full panels
  // and at most 2 narrower ones (whole vectors, then 1-3 columns), each padded to PANEL_LD columns
  return <usize>M * (nkb + 1) * 4 + (listCap(M, K) << 3) + <usize>M * <usize>K * 4 + <usize>K * <usize>(N + 4 * PANEL_LD) * 4 + 512;
}

/**
 * C = alpha * op(A) op(B) + beta * C (float32, row-major). a, b, c, work: byte offsets.
 * With mask != 0, the ReLU is fused in: each block of C is finished as C = max(C, 0) with
 * mask = 1[C > 0] (bytes, M x N) while it is still in L1 (what relu() gives, bit for bit).
 *
 * Two orders, by the size of op(B):
 *  - small op(B) (the weight gradient dP^T H, K = batch): op(B) is packed whole into panels, then
 *    C is produced a block of rows at a time, left to right, so C is written once, in full lines;
 *  - large op(B) (H W^T, dP W, K = m): every row of C sweeps a panel of op(B) one block of K_BLOCK
 *    k's at a time, so the part being read stays in L1. B^T (NT) is transposed into one panel at a
 *    time; B (NN) is packed GROUP_PANELS panels by one k-block at a time (see packBlock).
 * Panels are PANEL_V = 7 vectors wide because V8 gives wasm 15 SIMD registers (see PANEL_V).
 */
export function gemm(
  transA: bool, transB: bool, M: i32, N: i32, K: i32,
  alpha: f32, a: usize, b: usize, beta: f32, c: usize, work: usize, mask: usize,
): void {
  if (M <= 0 || N <= 0) return;
  const wholeB = <usize>K * <usize>N * 4 <= WHOLE_B_BYTES;
  const kb = wholeB || K <= K_BLOCK + (K_BLOCK >> 1) ? max(K, 1) : K_BLOCK;
  const nkb = max(1, (K + kb - 1) / kb);
  const bp = (work + 15) & ~15;
  const rs = <usize>(nkb + 1) << 2;
  const list = (bp + <usize>M * rs + 15) & ~15;
  const at = (list + (listCap(M, K) << 3) + 15) & ~15;
  const packed = (at + (<usize>M * <usize>K << 2) + 63) & ~63;
  // op(A) = A^T (A stored K x M): transpose it first, so one row-wise compaction serves both
  if (transA) transpose(K, M, a, at, K);
  compactRows(M, K, kb, nkb, alpha, transA ? at : a, list, bp);
  const ldc = <usize>N << 2;
  const zeroC = beta == 0;

  if (wholeB) {
    let off = packed;
    for (let j: i32 = 0; j < N; ) {
      const w = min(panelWidth(N, j), N - j);
      const ld = PANEL_LD;
      pack(transB, N, K, b, j, w, off, ld);
      off += <usize>K * <usize>ld * 4;
      j += w;
    }
    for (let i0: i32 = 0; i0 < M; i0 += ROW_BLOCK) {
      const rows = min(ROW_BLOCK, M - i0);
      const lo = bp + <usize>i0 * rs;
      const hi = lo + 4;
      const ci = c + <usize>i0 * ldc;
      let pb = packed;
      for (let j: i32 = 0; j < N; ) {
        const w = min(panelWidth(N, j), N - j);
        const cj = ci + (<usize>j << 2);
        panel(w, rows, zeroC, beta, lo, hi, rs, list, pb, cj, ldc);
        if (mask) reluBlock(rows, w, cj, ldc, mask + <usize>i0 * <usize>N + <usize>j, <usize>N);
        pb += <usize>K * <usize>PANEL_LD * 4;
        j += w;
      }
    }
    return;
  }

  if (!transB) {
    // B stored K x N: pack a group of panels one k-block at a time (rows of B read in long runs;
    // packing a whole panel at a time would read a 112-byte strip of every row, a cache and TLB miss
    // each once B outgrows them: 3x slower at m = 4096).
    for (let jg: i32 = 0; jg < N; ) {
      let je = jg;
      for (let p: i32 = 0; p < GROUP_PANELS && je < N; p++) je += min(panelWidth(N, je), N - je);
      for (let t: i32 = 0; t < nkb; t++) {
        const k0 = t * kb;
        const k1 = min(K, k0 + kb);
        packBlock(N, b, k0, k1, jg, je, packed);
        const lo = bp + (<usize>t << 2);
        const zero = t == 0 && zeroC;
        const s: f32 = t == 0 ? beta : 1;
        let pb = packed;
        for (let j: i32 = jg; j < je; ) {
          const w = min(panelWidth(N, j), N - j);
          const ld = PANEL_LD;
          // the nonzero lists hold PANEL_BYTES k for the absolute k, so the block's panel is addressed from
          // k0 rows before its start (wasm32 address arithmetic wraps, so this is exact)
          const base = pb - <usize>k0 * <usize>ld * 4;
          const cj = c + (<usize>j << 2);
          panel(w, M, zero, s, lo, lo + 4, rs, list, base, cj, ldc);
          if (mask && t == nkb - 1) reluBlock(M, w, cj, ldc, mask + <usize>j, <usize>N);
          pb += <usize>(k1 - k0) * <usize>ld * 4;
          j += w;
        }
      }
      jg = je;
    }
    return;
  }
  for (let j: i32 = 0; j < N; ) {
    const w = min(panelWidth(N, j), N - j);
    const ld = PANEL_LD;
    pack(transB, N, K, b, j, w, packed, ld);
    const cj = c + (<usize>j << 2);
    for (let t: i32 = 0; t < nkb; t++) {
      const lo = bp + (<usize>t << 2);
      const zero = t == 0 && zeroC;
      const s: f32 = t == 0 ? beta : 1;
      panel(w, M, zero, s, lo, lo + 4, rs, list, packed, cj, ldc);
    }
    if (mask) reluBlock(M, w, cj, ldc, mask + <usize>j, <usize>N);
    j += w;
  }
}

// ---------------------------------------------------------------------------------------------
// Element-wise work of a step, on tensors that live in this module's memory (a model's workspace):
// the ReLU with its pattern D (fused into gemm by reluBlock), the ReLU's derivative applied to a
// gradient, and the weight update. Each gives exactly what the TypeScript loop in src/net/tensor.ts gives.

/**
 * h = max(h, 0) and mask = 1[h > 0] for count entries (h: f32s, mask: bytes; the mask is the
 * diagonal of the paper's D_{i,l}). NaN maps to 0, as in JS.
 */
function relu(count: i32, h: usize, mask: usize): void {
  const zero = f32x4.splat(0);
  const one = i8x16.splat(1);
  const n16 = count & ~15;
  for (let i: i32 = 0; i < n16; i += 16) {
    const p = h + (<usize>i << 2);
    const v0 = v128.load(p, 0);
    const v1 = v128.load(p, 16);
    const v2 = v128.load(p, 32);
    const v3 = v128.load(p, 48);
    const g0 = f32x4.gt(v0, zero);
    const g1 = f32x4.gt(v1, zero);
    const g2 = f32x4.gt(v2, zero);
    const g3 = f32x4.gt(v3, zero);
    v128.store(p, v128.and(v0, g0), 0);
    v128.store(p, v128.and(v1, g1), 16);
    v128.store(p, v128.and(v2, g2), 32);
    v128.store(p, v128.and(v3, g3), 48);
    // lanes are 0 or -1: narrow 4 x i32x4 -> i8x16 (saturating keeps -1), then -1 -> 1
    const b = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(g0, g1), i16x8.narrow_i32x4_s(g2, g3));
    v128.store(mask + <usize>i, v128.and(b, one));
  }
  // a block of 28 columns leaves 12: four at a time too (a scalar branch on a random sign mispredicts)
  const n4 = count & ~3;
  for (let i: i32 = n16; i < n4; i += 4) {
    const p = h + (<usize>i << 2);
    const v = v128.load(p);
    const g = f32x4.gt(v, zero);
    v128.store(p, v128.and(v, g));
    const b = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(g, g), i16x8.narrow_i32x4_s(g, g));
    store<i32>(mask + <usize>i, i32x4.extract_lane(v128.and(b, one), 0));
  }
  for (let i: i32 = n4; i < count; i++) {
    const p = h + (<usize>i << 2);
    const on = load<f32>(p) > 0;
    store<u8>(mask + <usize>i, u8(on));
    if (!on) store<f32>(p, 0);
  }
}

/** dst = mask ? src : 0 for count entries: the ReLU's derivative applied to a gradient. */
export function applyMask(count: i32, src: usize, mask: usize, dst: usize): void {
  const zero = i8x16.splat(0);
  const n16 = count & ~15;
  for (let i: i32 = 0; i < n16; i += 16) {
    const on = i8x16.ne(v128.load(mask + <usize>i), zero); // bytes of 0 or -1
    const lo = i16x8.extend_low_i8x16_s(on);
    const hi = i16x8.extend_high_i8x16_s(on);
    const s = src + (<usize>i << 2);
    const d = dst + (<usize>i << 2);
    v128.store(d, v128.and(v128.load(s, 0), i32x4.extend_low_i16x8_s(lo)), 0);
    v128.store(d, v128.and(v128.load(s, 16), i32x4.extend_high_i16x8_s(lo)), 16);
    v128.store(d, v128.and(v128.load(s, 32), i32x4.extend_low_i16x8_s(hi)), 32);
    v128.store(d, v128.and(v128.load(s, 48), i32x4.extend_high_i16x8_s(hi)), 48);
  }
  for (let i: i32 = n16; i < count; i++) {
    const x = load<f32>(src + (<usize>i << 2));
    store<f32>(dst + (<usize>i << 2), load<u8>(mask + <usize>i) ? x : 0);
  }
}

/**
 * y += alpha * x for n entries (the gradient step W <- W - eta grad), computed in float64 and
 * rounded once, exactly as the TypeScript loop does, so both give the same weights bit for bit.
 */
export function axpy(n: i32, alpha: f64, x: usize, y: usize): void {
  const va = f64x2.splat(alpha);
  const n4 = n & ~3;
  // two floats at a time, widened by 64-bit loads (no shuffles), narrowed and stored 64 bits at a time
  for (let i: i32 = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    const lo = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(y + o)), f64x2.mul(va, f64x2.promote_low_f32x4(v128.load64_zero(x + o))));
    const hi = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(y + o + 8)), f64x2.mul(va, f64x2.promote_low_f32x4(v128.load64_zero(x + o + 8))));
    v128.store64_lane(y + o, f32x4.demote_f64x2_zero(lo), 0);
    v128.store64_lane(y + o + 8, f32x4.demote_f64x2_zero(hi), 0);
  }
  for (let i: i32 = n4; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, <f32>(<f64>load<f32>(y + o) + alpha * <f64>load<f32>(x + o)));
  }
}

/**
 * The engine's f32x4 multiply-add peak, for the benchmark's roofline: 12 independent chains (enough
 * to cover the latency of two FMA units), `iters` rounds of 96 flops, no memory traffic.
 */
export function fmaLoop(iters: i32, x: f32): f32 {
  const v = f32x4.splat(x);
  const w = f32x4.splat(0.999);
  let a0 = v, a1 = v, a2 = v, a3 = v, a4 = v, a5 = v, a6 = v, a7 = v, a8 = v, a9 = v, a10 = v, a11 = v;
  for (let i: i32 = 0; i < iters; i++) {
    a0 = madd(a0, w, v); a1 = madd(a1, w, v); a2 = madd(a2, w, v); a3 = madd(a3, w, v);
    a4 = madd(a4, w, v); a5 = madd(a5, w, v); a6 = madd(a6, w, v); a7 = madd(a7, w, v);
    a8 = madd(a8, w, v); a9 = madd(a9, w, v); a10 = madd(a10, w, v); a11 = madd(a11, w, v);
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7))),
    f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)),
  );
  return f32x4.extract_lane(s, 0); // returned so the loop is not optimized away
}
