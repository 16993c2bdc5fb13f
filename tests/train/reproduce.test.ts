import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fastestKernels } from '../../src/net/wasmKernels.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { Run } from '../../src/train/run.ts';
import { reproduceScript, RUN_EXPORT_FORMAT, type RunExport } from '../../src/train/runExport.ts';

/**
 * reproduce.py against the page's own training path (Run on the wasm kernels, float32): the data
 * and initialization it draws from the seeds are the same float32 numbers (sha256 of their bytes),
 * the initial loss agrees within 1e-5 relative and the loss after 50 gradient-descent steps within
 * 1e-3 relative, for every architecture. Needs python3 with numpy; without them the tests skip and
 * say so.
 */
const PYTHON = process.env.PYTHON ?? 'python3';
const probe = spawnSync(PYTHON, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
const numpy = probe.status === 0 ? probe.stdout.trim() : null;
const SKIP = `reproduce.py not run: ${PYTHON} with numpy is not available here (${(probe.error?.message ?? probe.stderr ?? '').trim().split('\n').pop()})`;
if (!numpy) console.warn(SKIP);

const dir = mkdtempSync(join(tmpdir(), 'wide-enough-reproduce-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sha256(arrays: ArrayLike<number>[]): string {
  const h = createHash('sha256');
  for (const a of arrays) h.update(new Uint8Array(Float32Array.from(a).buffer));
  return h.digest('hex');
}

/** Trains `config` as the page does and exports it, with the float32 data and init hashes. */
async function pageRun(config: RunConfig): Promise<{ exp: RunExport; data: string; init: string }> {
  const run = new Run(config, await fastestKernels(), 'f32');
  const step: number[] = [];
  const loss: number[] = [];
  for (let s = 0; s <= config.steps; s++) {
    if (s % config.every === 0) {
      step.push(s);
      loss.push(run.trainer.loss());
    }
    if (s < config.steps) run.trainer.update();
  }
  const exp: RunExport = {
    format: RUN_EXPORT_FORMAT,
    panel: 'width-convergence',
    page: 'test',
    runs: [{ key: `m${config.m}`, config, lr: run.lr, status: 'steps', records: { step, loss } }],
  };
  const { A, W, B } = run.initial;
  return { exp, data: sha256([run.data.X, run.data.Y]), init: sha256([A, ...W, B]) };
}

function reproduce(exp: RunExport, ...flags: string[]): { rows: Map<number, number>; out: string } {
  const file = join(dir, `reproduce-${exp.runs[0].config.arch}-${exp.runs[0].config.batch}.py`);
  writeFileSync(file, reproduceScript(exp));
  const r = spawnSync(PYTHON, [file, ...flags], { encoding: 'utf8', timeout: 110_000 });
  expect(r.status, r.stderr).toBe(0);
  const rows = new Map<number, number>();
  for (const line of r.stdout.split('\n')) {
    const m = /^(\d+)\t(\S+)\t/.exec(line);
    if (m) rows.set(Number(m[1]), Number(m[2]));
  }
  return { rows, out: r.stdout };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('reproduce.py recreates a run from its seeds', () => {
  for (const arch of ['fc', 'resnet'] as const) {
    it(`${arch}: same float32 data and initialization; initial loss within 1e-5 and the loss after 50 GD steps within 1e-3 (relative)`, async (ctx) => {
      if (!numpy) return ctx.skip(SKIP);
      const config: RunConfig = { ...DEFAULT_CONFIG, arch, m: 128, L: 2, n: 16, d: 8, tau: 0.3, dataSeed: 3, initSeed: 5, steps: 50, every: 10 };
      const { exp, data, init } = await pageRun(config);
      const { rows, out } = reproduce(exp);
      if (process.env.SHOW_REPRODUCE) console.log(out);
      expect(out).toContain(`# data sha256 ${data}`);
      expect(out).toContain(`# init sha256 ${init}`);
      const page = exp.runs[0].records;
      expect([...rows.keys()]).toEqual(page.step);
      expect(rel(rows.get(0)!, page.loss[0])).toBeLessThan(1e-5);
      expect(rel(rows.get(50)!, page.loss[5])).toBeLessThan(1e-3);
      // and training moved the loss, so agreeing at step 50 says something
      expect(page.loss[5]).toBeLessThan(page.loss[0] / 2);
    });
  }

  it('mini-batch SGD: the same batch order from the batch stream gives the same losses (within 1e-3)', async (ctx) => {
    if (!numpy) return ctx.skip(SKIP);
    const config: RunConfig = { ...DEFAULT_CONFIG, arch: 'fc', m: 64, L: 2, n: 12, d: 6, labels: 'sign', batch: 5, batchSeed: 7, steps: 50, every: 10 };
    const { exp } = await pageRun(config);
    const { rows } = reproduce(exp, '--float32');
    const page = exp.runs[0].records;
    for (let i = 0; i < page.step.length; i++) expect(rel(rows.get(page.step[i])!, page.loss[i]), `step ${page.step[i]}`).toBeLessThan(1e-3);
  });
});
