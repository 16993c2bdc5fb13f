import { describe, expect, it } from 'vitest';
import { NOT_STARTED, runNote, runPhase, setStatus, type NoteSource } from '../../src/essay/figures/runNote.ts';
import type { RunState } from '../../src/train/runHandle.ts';

const run = (state: RunState, step = 120, more: Partial<NoteSource> = {}): NoteSource => ({ handle: { state, progress: { step } }, end: null, error: null, ...more });
const ended = (reason: 'converged' | 'diverged' | 'steps' | 'stopped', step: number, message = ''): NoteSource => ({ ...run('done', step), end: { reason, step, message } });

describe('runNote', () => {
  const cases: [string, NoteSource | null, string, string][] = [
    ['no run', null, 'not started', NOT_STARTED],
    ['queued', run('queued', 0), 'waiting for a worker', 'Waiting for a free worker\u2026'],
    ['starting', run('starting', 0), 'setting up', 'Setting up width 32\u2026'],
    ['running', run('running', 1234), 'step 1,234', 'Training width 32, step 1,234.'],
    ['paused', run('paused'), 'paused at step 120', 'Paused while out of view.'],
    ['released', run('cancelled', 40, { released: true }), 'resumes on screen', 'Let go while out of view; it trains again when you come back.'],
    ['left', run('cancelled', 40), 'left at step 40', 'Width 32: left at step 40.'],
    ['converged', ended('converged', 96), 'converged in 96 steps', 'Width 32: converged in 96 steps.'],
    ['diverged', ended('diverged', 7, 'loss not finite'), 'diverged at step 7', 'Width 32: diverged at step 7.'],
    ['step limit', ended('steps', 300), 'step limit (300)', 'Width 32: ended at the step limit, step 300.'],
    ['stopped', ended('stopped', 50), 'stopped at step 50', 'Width 32: stopped at step 50.'],
    ['failed', { ...run('error', 3), error: 'no memory' }, 'failed: no memory', 'Width 32: the run failed: no memory.'],
  ];
  for (const [name, r, note, status] of cases) {
    it(`${name}: a legend note and a status line`, () => {
      expect(runNote(r)).toBe(note);
      expect(runNote(r, { form: 'status', subject: 'width 32' })).toBe(status);
    });
  }

  it('an error wins over a release, and a release over an end (the run trains again)', () => {
    expect(runPhase({ ...ended('converged', 5), error: 'late' })).toBe('failed');
    expect(runPhase({ ...ended('converged', 5), released: true })).toBe('released');
    expect(runPhase(run('error', 1))).toBe('failed'); // the handle failed before the figure heard
  });

  it('counts iterations where the figure does, and takes a figure’s own words', () => {
    expect(runNote(run('running', 20), { unit: 'iteration' })).toBe('iteration 20');
    expect(runNote(run('paused', 20), { unit: 'iteration' })).toBe('paused at iteration 20');
    expect(runNote(ended('converged', 96), { unit: 'iteration' })).toBe('converged in 96 iterations');
    expect(runNote(ended('steps', 300), { overrides: { steps: 'step limit, F/F\u2080 = 0.01' } })).toBe('step limit, F/F\u2080 = 0.01');
    expect(runNote(run('starting', 0), { form: 'status', subject: 'width 32', setup: 'width 32 and K\u2080' })).toBe('Setting up width 32 and K\u2080\u2026');
    expect(runNote(run('running', 3), { form: 'status' })).toBe('Training the run, step 3.');
    expect(runNote(ended('converged', 3), { form: 'status' })).toBe('The run: converged in 3 steps.');
  });
});

describe('setStatus', () => {
  it('reads a set of runs: not started, training (on and off screen), all done', () => {
    expect(setStatus({ started: false, running: 0 }, { active: true })).toBe(NOT_STARTED);
    expect(setStatus({ started: true, running: 3 }, { active: true })).toBe('Training 3 widths\u2026');
    expect(setStatus({ started: true, running: 1 }, { active: false })).toBe('Training 1 width (paused while out of view)');
    expect(setStatus({ started: true, running: 0 }, { active: true })).toBe('All widths done.');
    expect(setStatus({ started: true, running: 2 }, { active: true, noun: 'run' })).toBe('Training 2 runs\u2026');
    expect(setStatus({ started: true, running: 0 }, { active: true, noun: 'run', done: '4 runs done.' })).toBe('4 runs done.');
  });
});
