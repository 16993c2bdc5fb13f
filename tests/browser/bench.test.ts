import { afterAll, describe, expect, inject, it } from 'vitest';
import type { BenchPageResult as BenchPage } from '../../src/bench/protocol.ts';
import { launchBrowser, type BrowserSession } from './harness.ts';

describe('bench.html (what npm run bench:browser drives)', () => {
  const baseUrl = inject('baseUrl');
  let session: BrowserSession | undefined;

  afterAll(async () => {
    await session?.close();
  });

  it('times the core and tfjs-wasm in a Web Worker, with nothing fetched from elsewhere, and reports the roofline and an interleaved round', async () => {
    session = await launchBrowser(baseUrl);
    const { page } = session;
    const q = new URLSearchParams({ widths: '64', reps: '5', impls: 'core+wasm,core+ts,core+wasm-cnn,tfjs-wasm-hand', loop: '0', rounds: '1' });
    await page.goto(`${baseUrl}bench.html?${q}`);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __bench: BenchPage }).__bench.done), { timeout: 120_000, interval: 500 }).toBe(true);
    const r = (await page.evaluate(() => (window as unknown as { __bench: BenchPage }).__bench)) as BenchPage;
    expect(r.error).toBeUndefined();
    expect(r.cases!.map((c) => c.impl)).toEqual(['core+wasm', 'core+ts', 'core+wasm-cnn', 'tfjs-wasm-hand']);
    for (const c of r.cases!) {
      expect(c.env).toMatch(/^chromium-\d+-worker$/);
      expect(c.shape).toBe(c.impl === 'core+wasm-cnn' ? 'cnn-q8-c2-s3-m256-L2-n16-o1' : 'd32-m64-L3-n128-o1');
      expect(c.msPerStep).toBeGreaterThan(0);
    }
    expect(['relaxed-simd', 'simd']).toContain(r.info!.wasmKernels);
    expect(r.info!.tfjsWasmSimd).toBe('true');
    const roof = r.roofline!;
    expect(roof.env).toBe(r.cases![0].env);
    expect(roof.peakGflops).toBeGreaterThan(0.5);
    expect(roof.activeGflop).toBeLessThan(0.7 * roof.nominalGflop);
    expect(roof.floorMs).toBeCloseTo((roof.activeGflop / roof.peakGflops) * 1e3, 6);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __bench: BenchPage }).__bench.mainThread ?? '')).toMatch(/^(relaxed-simd|simd), max \|wasm - reference\| = /);
    const text = await page.locator('#out').textContent();
    expect(text).toContain('roofline, chromium-');
    expect(text).toMatch(/tfjs-wasm-hand\s+64/);
    expect(text).toMatch(/core\+wasm-cnn\s+256/); // the CNN step in the table
    // one interleaved round on the canonical step, and its ratio
    expect(r.rounds).toHaveLength(1);
    expect(r.rounds![0].coreWasm).toBeGreaterThan(0);
    expect(r.rounds![0].tfjsWasmHand).toBeGreaterThan(0);
    expect(text).toContain(`interleaved rounds: tfjs-wasm-hand / core+wasm median ${(r.rounds![0].tfjsWasmHand! / r.rounds![0].coreWasm!).toFixed(2)}`);
    expect(session.offsite).toEqual([]);
    expect(session.problems()).toEqual([]);
  }, 180_000);
});
