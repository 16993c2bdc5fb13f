import { describe, expect, it } from 'vitest';
import { CNN_SIGNAL, CNN_WIDTH_ARCH, cnnConfig, cnnNumbers, cnnView } from '../../src/essay/figures/cnnFigure.ts';
import { cnnSweepBinds, distanceVerdict, flipVerdict } from '../../src/essay/figures/cnnSweepView.ts';
import { widthChoice, widthStatus, type WidthFigureModel, type WidthRun } from '../../src/essay/figures/widthConvergenceView.ts';
import { countParams } from '../../src/net/network.ts';
import { CNN_SWEEP_COMMAND, CNN_SWEEP_WIDTHS } from '../../src/train/cnnSweep.ts';
import { netSpecOf } from '../../src/train/run.ts';
import type { SweepRunResult } from '../../src/train/sweep.ts';
import { PAGE_DEFAULTS } from '../../src/state/urlState.ts';
import { SeriesBuffer } from '../../src/viz/seriesBuffer.ts';

/** The cnn figure's view (its readouts and caption) and the sweep's sentences, from made-up runs whose answers are known. */
const CONFIG = cnnConfig({ ...PAGE_DEFAULTS }, 'cnn', 64);

function run(readouts: WidthRun['own']['readouts']): WidthRun {
  const series = new SeriesBuffer(8);
  series.push(0, 2);
  series.push(5, 0.5);
  return {
    key: 'm64',
    handle: { state: 'running', progress: { step: 5, stepsPerSecond: 100 }, active: true },
    info: null,
    end: null,
    error: null,
    own: { width: 64, generation: 0, series, loss0: 2, stepLimit: 100, eps: 1e-4, readouts },
  };
}

function model(current: WidthRun | null, arch: 'cnn' | 'cnn-resnet' = 'cnn'): WidthFigureModel {
  const config = { ...CONFIG, arch };
  return { config, width: widthChoice(config, null), curves: current ? [current] : [], current, sweep: null, stepAxis: 'linear', hide: [], started: true, userPaused: false, onScreen: true, reducedMotion: false };
}

describe('cnn figure view', () => {
  it('trains the CNN on the fixed signal and counts its parameters: A m x (s c), W_l m x (s m), B 1 x (q m)', () => {
    expect(CONFIG).toMatchObject({ arch: 'cnn', m: 64, ...CNN_SIGNAL });
    const { q, d: c, window: s } = CNN_SIGNAL;
    const m = 64;
    const trained = CONFIG.L * m * s * m;
    expect(countParams(netSpecOf(CONFIG))).toEqual({ total: m * s * c + trained + q * m, trained });
    expect(cnnNumbers(model(null)).params).toBe(`${(m * s * c + trained + q * m).toLocaleString('en-US')} (${trained.toLocaleString('en-US')} trained)`);
  });

  it('reads the instruments of the last record: PL ratio, the distance moved and the flips as percentages; dashes before any', () => {
    const numbers = cnnNumbers(model(run({ plRatio: 123.4, distRel: 0.0123, flipFrac: 0.25 })));
    expect(numbers).toMatchObject({ width: '64', pl: '123', dist: '1.2%', flips: '25%' });
    expect(cnnNumbers(model(run({})))).toMatchObject({ pl: '\u2013', dist: '\u2013', flips: '\u2013' });
    expect(cnnNumbers(model(null))).toMatchObject({ pl: '\u2013', dist: '\u2013', flips: '\u2013' });
  });

  it("names a run's size in channels on the status line", () => {
    const m = { ...model(run({})), sizeName: CNN_WIDTH_ARCH.sizeName };
    expect(widthStatus(m).text).toBe('Training 64 channels.');
    expect(widthStatus(model(run({}))).text).toBe('Training width 64.');
  });

  it('captions the network it trains: the plain and the residual form', () => {
    expect(cnnView(model(run({}))).caption).toMatch(/h\u2097\[p\] = ReLU\(W\u2097 patch\u209a\(h\u2097\u208b\u2081\)\).*q = 8 positions and c = 2 channels/);
    expect(cnnView(model(run({}), 'cnn-resnet')).caption).toMatch(/\u03c4 W\u2097 patch\u209a\(h\u2097\u208b\u2081\)\), \u03c4 = 0\.1/);
  });
});

/** Sweep results whose distance and flips follow m^a and m^b, the seeds' slopes spread by -spread, 0, +spread. */
function sweep(a: number, b: number, spread = 0): SweepRunResult[] {
  const out: SweepRunResult[] = [];
  for (const m of CNN_SWEEP_WIDTHS)
    for (const seed of [1, 2, 3]) {
      const tilt = m ** (spread * (seed - 2));
      out.push({ type: 'run', m, seed, converged: seed !== 3 || m !== 16, distFro: m ** a * tilt, flipFrac: m ** b * tilt } as SweepRunResult);
    }
  return out;
}

describe('the CNN sweep, as the essay states it', () => {
  it('fits the exponents and gives a verdict that can come out either way', () => {
    const on = cnnSweepBinds(sweep(-0.5, -0.5, 0.05));
    expect(on['cnn.distSlope']).toBe('\u22120.50');
    expect(on['cnn.distVerdict']).toMatch(/contains the \u22121\/2/);
    expect(on['cnn.flipVerdict']).toMatch(/holds the typical \u22121\/2 and not the bound/);
    expect(on['cnn.sweepConverged']).toBe('17 of 18');
    expect(on['cnn.sweepSeeds']).toBe('3');
    expect(on['cnn.sweepWidths']).toBe('16 to 512');
    expect(on['cnn.sweepCommand']).toBe(CNN_SWEEP_COMMAND);
    const steep = cnnSweepBinds(sweep(-0.9, -0.9, 0.05));
    expect(steep['cnn.distVerdict']).toMatch(/^steeper than/);
    expect(steep['cnn.flipVerdict']).toMatch(/^steeper than both/);
    const flat = cnnSweepBinds(sweep(-0.2, -0.2, 0.05));
    expect(flat['cnn.distVerdict']).toMatch(/^shallower than/);
    expect(flat['cnn.flipVerdict']).toMatch(/^shallower than both/);
    expect(cnnSweepBinds(sweep(-0.4, -0.34, 0.2))['cnn.flipVerdict']).toMatch(/holds both/);
  });

  it('says nothing it has not measured: no fit, no verdict', () => {
    expect(distanceVerdict(null)).toBeNull();
    expect(flipVerdict(null)).toBeNull();
    expect(cnnSweepBinds([])['cnn.distSlope']).toBeNull();
  });
});
