import { describe, expect, it } from 'vitest';
import { calmDraw } from '../../src/essay/figures/calm.ts';
import { RunSet } from '../../src/essay/figures/runSet.ts';
import { DEFAULT_CONFIG } from '../../src/train/config.ts';
import { FakePool, recs } from './fakePool.ts';
import type { PageState } from '../../src/state/urlState.ts';

function setup(reducedMotion: boolean) {
  const pool = new FakePool();
  const set = new RunSet({ pool, onChange: () => {} });
  set.resume();
  const figure = { reducedMotion, active: true, state: { choices: {} } as unknown as PageState };
  let draws = 0;
  let extra = '';
  const draw = calmDraw(figure, () => set.runs, () => draws++, () => extra);
  return { pool, set, figure, draw, count: () => draws, setExtra: (e: string) => (extra = e) };
}

describe('reduced motion: calm draws', () => {
  it('under reduced motion, records of a training run do not redraw; its start, its end, a probe result, a choice and going off screen do', () => {
    const f = setup(true);
    f.set.startAll([{ key: 'm32', config: { ...DEFAULT_CONFIG, m: 32 } }]);
    const run = f.set.runs[0];
    f.draw();
    expect(f.count()).toBe(1);
    f.pool.started(run.handle);
    f.draw();
    f.pool.records(run.handle, recs([0, 1]));
    f.draw();
    f.pool.records(run.handle, recs([2, 3]));
    f.draw();
    expect(f.count()).toBe(1); // queued -> running -> records: all "going"
    f.pool.done(run.handle, 'converged', 3);
    f.draw();
    expect(f.count()).toBe(2); // the run ended: its whole curve at once
    f.draw();
    expect(f.count()).toBe(2);
    f.setExtra('raster');
    f.draw();
    expect(f.count()).toBe(3);
    f.figure.state = { choices: { 'lazy-ball-quantity': 'flips' } } as unknown as PageState;
    f.draw();
    expect(f.count()).toBe(4);
    f.figure.active = false;
    f.draw();
    expect(f.count()).toBe(5);
  });

  it('without the preference, every redraw draws', () => {
    const f = setup(false);
    f.draw();
    f.draw();
    f.draw();
    expect(f.count()).toBe(3);
  });
});
