import { describe, expect, it } from 'vitest';
import { overBudget, repairBudget } from '../../src/state/runBudget.ts';
import { DEFAULT_STATE, readState } from '../../src/state/urlState.ts';

describe("the page's memory budget", () => {
  it('a link over the budget is repaired, width first, with a notice that gives the estimate', () => {
    const { state, notices } = readState(new URLSearchParams('width=4096&depth=8&n=128&d=256'));
    expect(overBudget(state.config)).toBeNull();
    expect(state.config.m).toBe(DEFAULT_STATE.config.m);
    expect(state.config.L).toBe(8); // width alone was enough
    const budget = notices.find((n) => n.param === 'width');
    expect(budget?.message).toMatch(/needs about 2\.\d GB of memory, more than the 1\.0 GB a run on this page may use.*; using width 256$/);
  });

  it('a link within the budget keeps every setting and says nothing', () => {
    const { state, notices } = readState(new URLSearchParams('width=4096&depth=2'));
    expect(state.config.m).toBe(4096);
    expect(notices).toEqual([]);
  });

  it('repairs further sizes when the width is not enough', () => {
    const config = { ...DEFAULT_STATE.config, m: 256, L: 8, n: 128, d: 256 };
    expect(overBudget(config, 5e6)).not.toBeNull();
    const notices = repairBudget(config, DEFAULT_STATE.config, 5e6);
    expect(overBudget(config, 5e6)).toBeNull();
    expect(notices[0].message).toMatch(/using depth 2/);
  });
});
