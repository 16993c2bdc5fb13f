import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS } from '../../src/train/config.ts';
import { DEFAULT_STATE, PAGE_DEFAULTS, readState, stateQuery, STATE_FIELDS, writeState } from '../../src/state/urlState.ts';

const read = (q: string) => readState(new URLSearchParams(q));

describe('URL state schema', () => {
  it('narrows CONFIG_FIELDS: every page range lies inside the config range', () => {
    for (const f of STATE_FIELDS) {
      const base = CONFIG_FIELDS.find((c) => c.key === f.key)!;
      expect(f.spec.kind).toBe(base.kind);
      if (base.min !== undefined) expect(f.spec.min).toBeGreaterThanOrEqual(base.min);
      if (base.max !== undefined) expect(f.spec.max).toBeLessThanOrEqual(base.max);
      expect(f.param).toMatch(/^[a-z]+$/); // usable as a URL parameter and an HTML attribute
    }
  });

  it('reads valid values without notices, and writes only what differs from the defaults', () => {
    const { state, notices } = read('width=512&depth=3&n=32&d=16&lrscale=0.25&batch=8&labels=sign&dataseed=7&initseed=9&steps=5000');
    expect(notices).toEqual([]);
    expect(state.config).toMatchObject({ m: 512, L: 3, n: 32, d: 16, lrScale: 0.25, batch: 8, labels: 'sign', dataSeed: 7, initSeed: 9, steps: 5000 });
    expect(writeState(state)).toEqual([
      ['width', '512'], ['depth', '3'], ['n', '32'], ['d', '16'], ['lrscale', '0.25'], ['batch', '8'],
      ['labels', 'sign'], ['dataseed', '7'], ['initseed', '9'], ['steps', '5000'],
    ]);
    expect(writeState(DEFAULT_STATE)).toEqual([]);
    expect(read('').state.config).toEqual(PAGE_DEFAULTS);
  });

  it('round-trips through a query string and keeps parameters it does not own', () => {
    const { state } = read('width=96&labels=teacher');
    const q = stateQuery(state, new URLSearchParams('utm_source=blog&width=8'));
    expect(q).toBe('?utm_source=blog&width=96&labels=teacher');
    expect(read(q.slice(1)).state).toEqual(state);
  });

  it('falls back on unparseable values and clamps out-of-range ones, with a notice for each', () => {
    const { state, notices } = read('width=NaN&depth=-5&n=1e9&d=2.5&labels=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&lrscale=Infinity&steps=0x10');
    expect(state.config).toMatchObject({ m: 256, L: 1, n: 128, d: 3, labels: 'gaussian', lrScale: 0.5, steps: 20_000 });
    expect(notices.map((n) => n.param)).toEqual(['width', 'depth', 'n', 'd', 'labels', 'lrscale', 'steps']);
    expect(notices[0].message).toBe('width m: "NaN" is not a number; using 256');
    expect(notices[2].message).toBe('training points n: "1e9" is above the largest allowed, 128; using 128');
    expect(notices[3].message).toBe('input dimension d: 2.5 is not a whole number; using 3');
  });

  it('quotes hostile text as data and shortens it', () => {
    const long = `<script>${'x'.repeat(100)}</script>`;
    const { notices } = read(`labels=${encodeURIComponent(long)}`);
    expect(notices[0].message).toContain(JSON.stringify(`${long.slice(0, 37)}...`));
  });

  it('names a refused number as it was typed, not as it parsed', () => {
    const msg = (q: string) => read(q).notices.map((n) => n.message);
    expect(msg('width=99999999999999999999')).toEqual(['width m: 99999999999999999999 is above the largest allowed, 4096; using 4096']);
    expect(msg('width=1e-400')).toEqual(['width m: "1e-400" is below the smallest allowed, 8; using 8']);
    expect(msg('width=8.0000001')).toEqual(['width m: 8.0000001 is not a whole number; using 8']);
    // beyond a double (Infinity, as 1e999): unreadable, so the default; shortened either way
    expect(msg(`width=${'9'.repeat(100_000)}`)).toEqual([`width m: "${'9'.repeat(37)}..." is not a number; using 256`]);
  });

  it('shortens quoted text by characters, never cutting an emoji in half', () => {
    const [notice] = read(`labels=${encodeURIComponent('\u{1F600}'.repeat(50))}`).notices;
    expect(notice.message).toContain(`"${'\u{1F600}'.repeat(37)}..."`);
    expect(notice.message).not.toMatch(/\\ud/);
  });

  it('repairs a mini-batch larger than n to full batch', () => {
    const { state, notices } = read('n=8&batch=16');
    expect(state.config.batch).toBe(0);
    expect(notices.map((n) => n.param)).toEqual(['batch']);
  });

  it('reads the presentation flags: hide, autoplay and the step axis', () => {
    const { state, notices } = read('hide=settings,sweep,bogus&autoplay=false&stepaxis=log');
    expect(state.hide).toEqual(['settings', 'sweep']);
    expect(state.autoplay).toBe(false);
    expect(state.stepAxis).toBe('log');
    expect(notices.map((n) => n.param)).toEqual(['hide']);
    expect(writeState(state)).toEqual([['hide', 'settings,sweep'], ['autoplay', 'false'], ['stepaxis', 'log']]);
    expect(read('stepaxis=%3Cb%3E').notices[0].message).toBe('step axis: "<b>" is not linear or log; using linear');
  });
});
