import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { inputsHash, RESULTS_FILE, storedHash } from './recordedInputs.ts';
import { fillRecorded, type RecordedBinds } from './recordedHtml.ts';
import { packDecimals } from '../src/essay/recorded/packedDecimals.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Keeps the recorded results (src/essay/recorded/results.json) in step with the code: at the start
 * of every build and dev server, when the hash of the inputs differs from the stored one, it runs
 * scripts/recordResults.ts (the figures' default runs, trained in Node on the same core; a few
 * seconds) before any module is loaded. `npm run build` and the browser tests' buildSite both go
 * through here. index.html gets the recorded numbers the essay quotes in place (scripts/
 * recordedHtml.ts), so the page's copy of the results keeps only what a script draws from them, the
 * curves (pageCopy).
 */
export function recordedResults(): Plugin {
  let pending: Promise<void> | null = null;
  return {
    name: 'wide-enough:recorded-results',
    buildStart() {
      if (storedHash(ROOT) === inputsHash(ROOT)) return;
      pending ??= runRecorder().finally(() => (pending = null));
      return pending;
    },
    load(id) {
      return id === join(ROOT, RESULTS_FILE) ? JSON.stringify(pageCopy(JSON.parse(readFileSync(id, 'utf8')))) : null;
    },
    transformIndexHtml(html) {
      return fillRecorded(html, recordedBinds(JSON.parse(readFileSync(join(ROOT, RESULTS_FILE), 'utf8'))));
    },
  };
}

/** Every panel's recorded binds and build-only numbers, by data-bind key. */
export function recordedBinds(results: { panels?: Record<string, { binds?: Record<string, string>; measured?: Record<string, string> }> }): RecordedBinds {
  const out: RecordedBinds = { binds: {}, measured: {} };
  for (const p of Object.values(results.panels ?? {})) {
    Object.assign(out.binds, p.binds ?? {});
    Object.assign(out.measured, p.measured ?? {});
  }
  return out;
}

/**
 * The recorded results as the page's scripts get them: each panel's curves (the hero's), steps
 * and losses compacted, and no quoted numbers (binds, measured), which are in index.html already;
 * the essay's script imported them all before first paint (5.8 KB gzip), and an embed of the hero
 * all the essay's numbers.
 */
export function pageCopy<T extends { panels?: Record<string, { curves?: unknown[] }> }>(results: T): T {
  const panels: Record<string, { curves: unknown[] }> = {};
  for (const [id, p] of Object.entries(results.panels ?? {})) if (p.curves) panels[id] = { curves: p.curves };
  return compactCurves({ ...results, panels });
}

/**
 * Each curve as the page carries it, recorded.ts expandCurves writing it out again: steps 0, 1, ...,
 * n - 1 (a record per step, as every recorded curve has) as n, a fifth of the curves' gzip bytes;
 * the losses packed (src/essay/recorded/packedDecimals.ts: exact, about three quarters of their
 * gzip bytes as decimals). Other steps, and losses that would not read back, stay lists.
 */
export function compactCurves<T>(results: T): T {
  const panels = (results as { panels?: Record<string, { curves?: { steps: number[] | number; loss: number[] | string }[] }> }).panels ?? {};
  for (const panel of Object.values(panels))
    for (const c of panel.curves ?? []) {
      if (Array.isArray(c.steps) && c.steps.every((s, i) => s === i)) c.steps = c.steps.length;
      const packed = Array.isArray(c.loss) ? packDecimals(c.loss) : null;
      if (packed !== null) c.loss = packed;
    }
  return results;
}

/**
 * Node's flags for the recorder: the page's engine (Chromium) runs the relaxed-SIMD kernels (fused
 * multiply-add), and so must the recording, or the last digits of what it quotes differ; V8 before
 * 11.4 (Node 20) has them behind a flag.
 */
export function recorderFlags(v8: string = process.versions.v8): string[] {
  const [major, minor] = v8.split('.').map(Number);
  return major < 11 || (major === 11 && minor < 4) ? ['--experimental-wasm-relaxed-simd'] : [];
}

function runRecorder(): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [...recorderFlags(), '--import', 'tsx', '--import', './scripts/cssStub.mjs', 'scripts/recordResults.ts'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`scripts/recordResults.ts exited with ${code}: ${RESULTS_FILE} was not recorded`))));
  });
}
