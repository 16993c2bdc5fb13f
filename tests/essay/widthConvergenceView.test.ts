import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../src/train/config.ts';
import type { RunEnd, RunState } from '../../src/train/runHandle.ts';
import { PAGE_DEFAULTS } from '../../src/state/urlState.ts';
import { SeriesBuffer } from '../../src/viz/seriesBuffer.ts';
import {
  activeRuns,
  curveFades,
  curveNote,
  fadeForAge,
  figureData,
  IDLE_REDUCED_MOTION_TEXT,
  IDLE_TEXT,
  sweepProgress,
  transport,
  widthChoice,
  widthNumbers,
  widthStatus,
  widthView,
  type WidthFigureModel,
  type WidthRun,
} from '../../src/essay/figures/widthConvergenceView.ts';
import { MAX_CURVES, SWEEP_WIDTHS, WidthRuns } from '../../src/essay/figures/widthConvergenceFigure.ts';
import { RunSet } from '../../src/essay/figures/runSet.ts';
import { FakePool } from './fakePool.ts';

const CONFIG: RunConfig = { ...PAGE_DEFAULTS }; // m = 256, eps = 1e-4, steps = 20,000, lrScale 0.5

interface FakeRun {
  width?: number;
  state?: RunState;
  step?: number;
  rate?: number;
  losses?: number[]; // one record per step from 0
  end?: RunEnd | null;
  error?: string | null;
  lr?: number;
  kernels?: string;
  generation?: number;
  stepLimit?: number;
}

function run(o: FakeRun = {}): WidthRun {
  const width = o.width ?? 256;
  const series = new SeriesBuffer(64);
  (o.losses ?? []).forEach((loss, i) => series.push(i, loss));
  const state = o.state ?? (o.end ? 'done' : o.error ? 'error' : 'running');
  return {
    key: `m${width}`,
    handle: {
      state,
      progress: { step: o.step ?? 0, stepsPerSecond: o.rate ?? 0 },
      active: state === 'queued' || state === 'starting' || state === 'running' || state === 'paused',
    },
    info: o.lr === undefined ? null : ({ lr: o.lr, kernels: o.kernels ?? 'wasm-simd' } as WidthRun['info']),
    end: o.end ?? null,
    error: o.error ?? null,
    own: { width, generation: o.generation ?? 0, series, loss0: o.losses?.[0] ?? NaN, stepLimit: o.stepLimit ?? CONFIG.steps, eps: CONFIG.eps },
  };
}

function model(o: Partial<WidthFigureModel> & { pending?: number | null } = {}): WidthFigureModel {
  const config = o.config ?? CONFIG;
  const current = o.current === undefined ? null : o.current;
  return {
    config,
    width: o.width ?? widthChoice(config, o.pending ?? null),
    curves: o.curves ?? (current ? [current] : []),
    current,
    sweep: o.sweep ?? null,
    stepAxis: o.stepAxis ?? 'linear',
    hide: o.hide ?? [],
    started: o.started ?? true,
    userPaused: o.userPaused ?? false,
    onScreen: o.onScreen ?? true,
    reducedMotion: o.reducedMotion ?? false,
  };
}

/** Records at the given steps with loss 1 / (1 + step). */
const fakeRecs = (steps: number[]) => steps.map((step) => ({ step, loss: 1 / (1 + step), gradNorm: 1 }));

const end = (reason: RunEnd['reason'], step: number, message = ''): RunEnd => ({ reason, step, message });

describe('the width figure status line', () => {
  it('idle: press Play, saying why under reduced motion', () => {
    expect(widthStatus(model({ started: false }))).toEqual({ kind: 'idle', text: IDLE_TEXT });
    expect(IDLE_TEXT).toBe('Press Play to train.');
    expect(widthStatus(model({ started: false, reducedMotion: true }))).toEqual({
      kind: 'idle',
      text: 'Press Play to train (nothing starts by itself, as your system asks for reduced motion).',
    });
    expect(IDLE_REDUCED_MOTION_TEXT).toMatch(/reduced motion/);
    // started but without a current run (cleared) is idle too
    expect(widthStatus(model({ started: true, current: null })).kind).toBe('idle');
    // a run left from before Play does not make the figure less idle
    expect(widthStatus(model({ started: false, current: run() })).kind).toBe('idle');
  });

  it('waiting for a worker, then setting up the width', () => {
    expect(widthStatus(model({ current: run({ state: 'queued' }) }))).toEqual({ kind: 'starting', text: 'Waiting for a free worker\u2026' });
    expect(widthStatus(model({ current: run({ state: 'starting', width: 64 }) }))).toEqual({
      kind: 'starting',
      text: 'Setting up width 64, 1 of 3: data and random initialization\u2026',
    });
  });

  it('running', () => {
    expect(widthStatus(model({ current: run({ width: 384, step: 50 }) }))).toEqual({ kind: 'running', text: 'Training width 384.' });
  });

  it('paused by the reader, or out of view', () => {
    const paused = run({ state: 'paused', step: 10 });
    expect(widthStatus(model({ current: paused, userPaused: true }))).toEqual({ kind: 'paused', text: 'Paused.' });
    expect(widthStatus(model({ current: paused, userPaused: false, onScreen: false }))).toEqual({ kind: 'waiting', text: 'Paused while out of view.' });
  });

  it('converged: the tolerance, the steps and the width', () => {
    const r = run({ width: 512, end: end('converged', 1234), losses: [1, 1e-5] });
    expect(widthStatus(model({ current: r }))).toEqual({ kind: 'converged', text: 'Converged: F \u2264 10\u207b\u2074 F\u2080 after 1,234 steps at width 512.' });
    expect(widthStatus(model({ current: r, config: { ...CONFIG, eps: 5e-4 } })).text).toMatch(/^Converged: F \u2264 0\.0005 F\u2080 after/);
  });

  it('diverged on a non-finite loss: names the step size and the scale to lower', () => {
    const message = 'loss became non-finite at step 7 with step size 12.0; try a smaller step size';
    const r = run({ end: end('diverged', 7, message), losses: [1, 50, NaN], lr: 12 });
    expect(widthStatus(model({ current: r }))).toEqual({
      kind: 'diverged',
      text: 'Diverged at step 7: the loss stopped being a finite number. The step is too large: try a smaller step-size scale c (now 0.5 (\u03b7 = 12)) in Settings.',
    });
    // before the worker reported the step size there is no eta to quote
    const noInfo = run({ end: end('diverged', 7, message), losses: [1, NaN] });
    expect(widthStatus(model({ current: noInfo })).text).toContain('(now 0.5) in Settings.');
  });

  it('diverged by explosion: the loss it reached and the factor', () => {
    const r = run({ end: end('diverged', 30, 'loss exploded'), losses: [1, 1e3, 3.2e9], lr: 0.25 });
    expect(widthStatus(model({ current: r }))).toEqual({
      kind: 'diverged',
      text:
        'Diverged at step 30: the loss exploded to 3.2\u00d710\u2079, more than 10\u2078 times where it started. ' +
        'The step is too large: try a smaller step-size scale c (now 0.5 (\u03b7 = 0.25)) in Settings.',
    });
  });

  it('running: says so when the run is on the TypeScript kernels (a page that refuses WebAssembly), not otherwise', () => {
    const ts = run({ state: 'running', losses: [1, 0.5], lr: 0.1, kernels: 'typescript' });
    expect(widthStatus(model({ current: ts })).text).toBe('Training width 256. It trains on the TypeScript kernels, as this page does not allow WebAssembly (slower).');
    const wasm = run({ state: 'running', losses: [1, 0.5], lr: 0.1 });
    expect(widthStatus(model({ current: wasm })).text).toBe('Training width 256.');
  });

  it('setting up a wide network: each part in turn, the memory and the time the rest should take; no estimate for a quick one', () => {
    const wide = run({ width: 4096, state: 'starting' });
    const text = (r: WidthRun) => widthStatus(model({ current: r })).text;
    const secs = (t: string) => Number(t.match(/roughly (\d+) s/)![1]);
    const init = text(wide);
    expect(init).toMatch(/^Setting up width 4096, 1 of 3: data and random initialization \(about \d+ MB of memory; roughly \d+ s on a laptop\)…$/);
    const kernel = text({ ...wide, handle: { ...wide.handle, setupPhase: 'kernel' } });
    expect(kernel).toMatch(/^Setting up width 4096, 2 of 3: the tangent kernel K₀ \(about \d+ MB of memory; roughly \d+ s more on a laptop\)…$/);
    // set up ('started'), no record yet: the first step
    const first = run({ width: 4096, state: 'running', step: 0 });
    expect(widthStatus(model({ current: first })).kind).toBe('starting');
    expect(text(first)).toMatch(/^Setting up width 4096, 3 of 3: the first step \(about \d+ MB of memory; roughly \d+ s more on a laptop\)…$/);
    expect(secs(init)).toBeGreaterThanOrEqual(secs(kernel));
    expect(secs(kernel)).toBeGreaterThanOrEqual(secs(text(first)));
    const quick = run({ width: 256, state: 'starting' });
    expect(text(quick)).toBe('Setting up width 256, 1 of 3: data and random initialization…');
  });

  it('dead: the zero gradient, the loss it is stuck at, the theorem it breaks and what to change', () => {
    const r = run({ end: end('dead', 120, 'the network is dead'), losses: [9, 40, 8.6] });
    const st = widthStatus(model({ current: r }));
    expect(st.kind).toBe('diverged');
    expect(st.text).toMatch(/^Stopped at step 120: the network is dead\. The gradient is exactly zero while F = 8\.6/);
    expect(st.text).toMatch(/Theorem 3 rules out near initialization.*c = 0\.5.*smaller step-size scale c/);
    expect(curveNote(r)).toBe('dead at step 120');
  });

  it('stalled: the window without progress, in the stop rule words', () => {
    const r = run({ end: end('stalled', 6000, 'no progress for 5000 steps: the lowest loss, 2.00, has not fallen by 0.0001 of itself since step 1000'), losses: [9, 2, 2] });
    expect(widthStatus(model({ current: r }))).toEqual({
      kind: 'steps',
      text: 'Stopped at step 6,000: no progress. No progress for 5000 steps: the lowest loss, 2.00, has not fallen by 0.0001 of itself since step 1000. Try another step-size scale c or a wider network in Settings.',
    });
    expect(curveNote(r)).toBe('stalled at step 6,000');
  });

  it('step limit: F/F0 reached and what to change', () => {
    const r = run({ end: end('steps', 20_000), losses: [2, 0.5, 0.0025] });
    expect(widthStatus(model({ current: r }))).toEqual({
      kind: 'steps',
      text: 'Stopped at the step limit of 20,000 steps with F = 1.3\u00d710\u207b\u00b3 F\u2080. Raise the step limit in Settings, or widen the network.',
    });
  });

  it('stopped: the worker message, as paused', () => {
    expect(widthStatus(model({ current: run({ end: end('stopped', 3, 'stopped by the page') }) }))).toEqual({ kind: 'paused', text: 'stopped by the page' });
  });

  it('failed: the error, before anything else', () => {
    const r = run({ error: 'out of memory', end: end('converged', 3) });
    expect(widthStatus(model({ current: r }))).toEqual({ kind: 'error', text: 'The run failed: out of memory. Press Reset to train again.' });
  });
});

describe('a curve note', () => {
  it('says what each run is doing', () => {
    expect(curveNote(run({ state: 'queued' }))).toBe('waiting for a worker');
    expect(curveNote(run({ state: 'starting' }))).toBe('setting up');
    expect(curveNote(run({ state: 'running', step: 1500 }))).toBe('step 1,500');
    expect(curveNote(run({ state: 'paused', step: 12 }))).toBe('paused at step 12');
    expect(curveNote(run({ state: 'cancelled', step: 40 }))).toBe('left at step 40');
  });

  it('says how each run ended', () => {
    expect(curveNote(run({ end: end('converged', 96) }))).toBe('converged in 96 steps');
    expect(curveNote(run({ end: end('diverged', 7) }))).toBe('diverged at step 7');
    expect(curveNote(run({ end: end('steps', 20_000), losses: [4, 0.01] }))).toBe('step limit, F/F\u2080 = 2.5\u00d710\u207b\u00b3');
    expect(curveNote(run({ end: end('stopped', 5) }))).toBe('stopped at step 5');
    expect(curveNote(run({ error: 'boom' }))).toBe('failed');
  });
});

describe('a comparison', () => {
  it('counts widths done and averages their progress', () => {
    const done = run({ width: 16, end: end('converged', 300) });
    const failed = run({ width: 64, error: 'x' });
    // half the step limit: progress 0.5
    const half = run({ width: 256, step: 10_000, losses: [1, 0.5] });
    // loss fallen 100-fold of the 10^4 asked for: progress 0.5 on a log scale
    const byLoss = run({ width: 1024, step: 10, losses: [1, 0.01] });
    const p = sweepProgress([done, failed, half, byLoss]);
    expect(p.running).toBe(true);
    expect(p.text).toBe('2 of 4 widths done');
    expect(p.fraction).toBeCloseTo((1 + 1 + 0.5 + 0.5) / 4, 10);
  });

  it('a run let go counts as done; all done reads "compared N widths"', () => {
    const left = run({ width: 16, state: 'cancelled', step: 20 });
    const p = sweepProgress([left, run({ width: 64, end: end('converged', 9) })]);
    expect(p).toMatchObject({ running: false, text: 'compared 2 widths' });
    expect(sweepProgress([left, run({ width: 64, state: 'queued' })]).text).toBe('1 of 2 widths done');
  });

  it('shows in the view only while there is one', () => {
    expect(widthView(model({ current: run() })).sweep).toBeNull();
    const sweep = [run({ width: 16 }), run({ width: 64, end: end('converged', 9) })];
    expect(widthView(model({ current: sweep[1], sweep, curves: sweep })).sweep?.text).toBe('1 of 2 widths done');
  });
});

describe('fading', () => {
  it('the current curve is opaque; earlier ones fade by how many groups ago they started', () => {
    const a = run({ width: 16, generation: 1 });
    const b1 = run({ width: 32, generation: 2 });
    const b2 = run({ width: 48, generation: 2 }); // started with b1 (a comparison): same fade
    const c = run({ width: 64, generation: 3 });
    const cur = run({ width: 256, generation: 4 });
    const fades = curveFades([a, b1, b2, c, cur], cur);
    expect(fades).toEqual([fadeForAge(3), fadeForAge(2), fadeForAge(2), fadeForAge(1), 1]);
    expect(fades[3]).toBeCloseTo(0.85, 10);
    expect(fades[1]).toBeCloseTo(0.73, 10);
    expect(fades[0]).toBeCloseTo(0.61, 10);
    expect(fades[0] < fades[1] && fades[1] < fades[3] && fades[3] < fades[4]).toBe(true);
  });

  it('never fades below 0.3, and the order of curves does not matter', () => {
    expect(fadeForAge(0)).toBe(1);
    expect(fadeForAge(7)).toBeCloseTo(0.3, 10);
    expect(fadeForAge(50)).toBe(0.3);
    const old = run({ width: 16, generation: 1 });
    const recent = run({ width: 32, generation: 5 });
    expect(curveFades([recent, old], null)).toEqual([fadeForAge(1), fadeForAge(2)]);
  });

  it('reaches the panel curves with labels, notes, tones and the current flag', () => {
    const old = run({ width: 8, generation: 1, end: end('converged', 50) });
    const cur = run({ width: 4096, generation: 2, step: 3 });
    const curves = widthView(model({ curves: [old, cur], current: cur, config: { ...CONFIG, m: 4096 } })).curves;
    expect(curves.map((c) => [c.key, c.label, c.note, c.tone, c.current, c.fade])).toEqual([
      ['m8', 'm = 8', 'converged in 50 steps', 0, false, 0.85],
      ['m4096', 'm = 4096', 'step 3', 1, true, 1],
    ]);
  });
});

describe('the width and the numbers', () => {
  it('the slider shows a pending width ahead of the committed one', () => {
    expect(widthChoice(CONFIG, null)).toEqual({ shown: 256, committed: 256 });
    expect(widthChoice(CONFIG, 1024)).toEqual({ shown: 1024, committed: 256 });
    expect(widthView(model({ pending: 1024, current: run() })).width).toBe(1024);
  });

  it('numbers: the shown width, its parameters, the current run step, rate and loss', () => {
    const cur = run({ step: 1234, rate: 312.4, losses: [0.5, 0.00321] });
    const n = widthNumbers(model({ current: cur }));
    // the output layer is fixed, not trained
    expect(n).toEqual({ width: '256', params: '133,376 (131,072 trained)', step: '1,234', rate: '312', loss: '3.21\u00d710\u207b\u00b3' });
  });

  it('while the slider is off the current width, the run numbers blank and parameters follow the slider', () => {
    const cur = run({ step: 1234, rate: 312, losses: [0.5, 0.1] });
    const n = widthNumbers(model({ current: cur, pending: 64 }));
    expect(n).toEqual({ width: '64', params: '8,768 (8,192 trained)', step: '\u2013', rate: '\u2013', loss: '\u2013' });
    expect(figureData(model({ current: cur, pending: 64 }))).toEqual({ loss0: '', loss: '', step: '' });
  });

  it('before the first record: step 0, no loss, no rate', () => {
    const n = widthNumbers(model({ current: run({ state: 'starting' }) }));
    expect(n).toMatchObject({ step: '0', rate: '\u2013', loss: '\u2013' });
    expect(figureData(model({ current: run({ state: 'starting' }) }))).toEqual({ loss0: 'NaN', loss: 'NaN', step: '0' });
  });

  it('the data attributes and the stop line follow the current run', () => {
    const cur = run({ step: 2, losses: [0.5, 0.25] });
    expect(figureData(model({ current: cur }))).toEqual({ loss0: '0.5', loss: '0.25', step: '2' });
    // curves are drawn as F/F_0, so the stop line is eps itself, whatever the run's F_0
    expect(widthView(model({ current: cur })).threshold).toBeCloseTo(1e-4, 15);
    expect(widthView(model({ current: cur })).curves[0].scale).toBe(2); // 1/F_0
    expect(widthView(model({ current: run() })).threshold).toBeUndefined();
    expect(widthView(model()).numbers.step).toBe('\u2013');
  });
});

describe('the transport', () => {
  it('offers Play before the first run, Pause while runs go on screen', () => {
    expect(transport(model({ started: false }))).toEqual({ playing: false, canPlay: true, canStep: true });
    expect(transport(model({ current: run() }))).toEqual({ playing: true, canPlay: true, canStep: true });
    expect(transport(model({ current: run({ state: 'paused' }), userPaused: true })).playing).toBe(false);
    expect(transport(model({ current: run({ state: 'paused' }), onScreen: false })).playing).toBe(false);
  });

  it('after the run ends there is nothing to play or step, unless a comparison still runs', () => {
    const done = run({ end: end('converged', 9) });
    expect(transport(model({ current: done }))).toEqual({ playing: false, canPlay: false, canStep: false });
    const other = run({ width: 16 });
    expect(transport(model({ current: done, sweep: [other, done], curves: [other, done] }))).toEqual({ playing: true, canPlay: true, canStep: false });
  });

  it('active runs: the current first, then the comparison, only those still going', () => {
    const cur = run({ width: 256 });
    const a = run({ width: 16 });
    const b = run({ width: 64, end: end('converged', 4) });
    expect(activeRuns(cur, [a, cur, b])).toEqual([cur, a]);
    expect(activeRuns(null, null)).toEqual([]);
  });
});

describe('the caption', () => {
  it('names the widths tried and the current run step size', () => {
    const old = run({ width: 64, end: end('converged', 50) });
    const cur = run({ width: 256, lr: 0.125 });
    const caption = widthView(model({ curves: [old, cur], current: cur })).caption;
    expect(caption).toMatch(/64/);
    expect(caption).toMatch(/256/);
  });
});

describe('the width figure runs (WidthRuns on a RunSet)', () => {
  function setup() {
    const pool = new FakePool();
    let changes = 0;
    const runs = new WidthRuns({ runs: (o) => new RunSet({ ...o, pool, onChange: () => changes++ }) });
    return { pool, runs, changes: () => changes };
  }
  const at = (m: number): RunConfig => ({ ...CONFIG, m });

  it('the current run: first in the queue, paused while the figure is not running, its curve from its records', () => {
    const { pool, runs, changes } = setup();
    runs.startCurrent(at(256), false);
    const cur = runs.current!;
    expect(cur.key).toBe('m256');
    expect(pool.options.get(cur.handle)).toEqual({ first: true, paused: true, away: true });
    expect(cur.own).toMatchObject({ width: 256, stepLimit: 20_000, eps: 1e-4 });
    expect(cur.own.loss0).toBeNaN();
    pool.started(cur.handle);
    pool.records(cur.handle, fakeRecs([0, 1, 2]));
    pool.records(cur.handle, fakeRecs([3]));
    expect(cur.own.loss0).toBe(1);
    expect(cur.own.series.count).toBe(4);
    expect(cur.own.series.lastY).toBe(0.25);
    expect(changes()).toBeGreaterThan(0);
    runs.follow(true);
    expect(cur.handle.state).toBe('running');
    runs.startCurrent(at(384), true);
    expect(pool.options.get(runs.current!.handle)).toEqual({ first: true, paused: false, away: false });
  });

  it('one curve per width, oldest first; a width left before 10 steps leaves no curve', () => {
    const { pool, runs } = setup();
    runs.startCurrent(at(256), true);
    const first = runs.current!;
    pool.started(first.handle);
    pool.records(first.handle, fakeRecs(Array.from({ length: 12 }, (_, i) => i)));
    runs.startCurrent(at(64), true); // 256 got 11 steps: it stays, left
    expect(first.handle.state).toBe('cancelled');
    expect(curveNote(first)).toBe('left at step 11');
    runs.startCurrent(at(128), true); // 64 never started: its curve goes
    expect(runs.curves.map((r) => r.key)).toEqual(['m256', 'm128']);
    pool.started(runs.current!.handle);
    pool.records(runs.current!.handle, fakeRecs(Array.from({ length: 12 }, (_, i) => i)));
    runs.startCurrent(at(256), true); // 256 again: replaces its old curve and goes last
    expect(runs.curves.map((r) => r.key)).toEqual(['m128', 'm256']);
    expect(runs.curves[1]).not.toBe(first);
  });

  it('keeps at most MAX_CURVES, dropping the oldest that is not the current run', () => {
    const { pool, runs } = setup();
    const widths = [8, 12, 16, 24, 32, 48, 64, 96, 128];
    for (const m of widths) {
      runs.startCurrent(at(m), true);
      pool.started(runs.current!.handle);
      pool.done(runs.current!.handle, 'converged', 40);
    }
    expect(runs.curves.length).toBe(MAX_CURVES);
    expect(runs.curves.map((r) => r.own.width)).toEqual(widths.slice(1));
    expect(runs.current!.own.width).toBe(128);
  });

  it('a comparison trains SWEEP_WIDTHS in one generation, with the current run as one of them', () => {
    const { pool, runs } = setup();
    runs.startCurrent(at(256), true);
    const cur = runs.current!;
    runs.startSweep(at(256), true);
    expect(runs.sweep!.map((r) => r.own.width)).toEqual([...SWEEP_WIDTHS]);
    expect(runs.sweep![2]).toBe(cur);
    const others = runs.sweep!.filter((r) => r !== cur);
    expect(new Set(others.map((r) => r.own.generation)).size).toBe(1);
    expect(others[0].own.generation).toBeGreaterThan(cur.own.generation);
    expect(others.every((r) => pool.options.get(r.handle)?.first === false)).toBe(true);
    expect(runs.active()).toEqual([cur, ...others]);
    expect(runs.sweepRunning).toBe(true);
    // off screen everything still going pauses; back on, resumes
    for (const r of runs.active()) pool.started(r.handle);
    runs.follow(false);
    expect(runs.active().map((r) => r.handle.state)).toEqual(['paused', 'paused', 'paused', 'paused']);
    runs.follow(true);
    expect(runs.active().map((r) => r.handle.state)).toEqual(['running', 'running', 'running', 'running']);
    // stopping lets go of the comparison's own runs (none got 10 steps, so their curves go) and keeps the current
    runs.stopSweep();
    expect(runs.sweep).toBeNull();
    expect(runs.curves).toEqual([cur]);
    expect(cur.handle.state).toBe('running');
  });

  it('step holds everything and makes one update of the current run', () => {
    const { pool, runs } = setup();
    runs.startCurrent(at(256), true);
    runs.startSweep(at(256), true);
    for (const r of runs.active()) pool.started(r.handle);
    runs.stepCurrent();
    expect(runs.active().map((r) => r.handle.state)).toEqual(['paused', 'paused', 'paused', 'paused']);
    expect(pool.messages(runs.current!.handle, 'step')).toEqual([{ type: 'step', runId: runs.current!.handle.runId, count: 1 }]);
    expect(pool.messages(runs.sweep![0].handle, 'step')).toEqual([]);
  });

  it('clear cancels every run and forgets the curves', () => {
    const { pool, runs } = setup();
    runs.startCurrent(at(256), true);
    runs.startSweep(at(256), true);
    const handles = [...pool.handles];
    runs.clear();
    expect(runs.curves).toEqual([]);
    expect(runs.current).toBeNull();
    expect(runs.sweep).toBeNull();
    expect(handles.every((h) => h.state === 'cancelled')).toBe(true);
  });
});
