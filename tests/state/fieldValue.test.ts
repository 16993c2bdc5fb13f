import { describe, expect, it } from 'vitest';
import { FLAG_OF, parseArgs } from '../../src/cli/flags.ts';
import { ELEMENT_ATTRIBUTES } from '../../src/essay/embed/embedElement.ts';
import { ConfigError, DEFAULT_CONFIG, type RunConfig } from '../../src/train/config.ts';
import { parseValue } from '../../src/train/fieldValue.ts';
import { DEFAULT_STATE, lastValueOfEach, readState, STATE_FIELDS, stateField, writeState } from '../../src/state/urlState.ts';

/** The CLI's reading of one flag: the value, or null when it refuses (exit 2). */
function cliReads(flag: string, key: keyof RunConfig, raw: string): unknown {
  try {
    return parseArgs([`--${flag}`, raw], DEFAULT_CONFIG).config[key];
  } catch (e) {
    if (e instanceof ConfigError) return null;
    throw e;
  }
}

/** The page's reading of one parameter: the value, or null when it repairs it (with a notice). */
function pageReads(param: string, key: keyof RunConfig, raw: string): unknown {
  const { state, notices } = readState([[param, raw]]);
  return notices.length ? null : state.config[key];
}

const HUGE = '9'.repeat(400);
const HOSTILE = ['', ' ', 'abc', '0x10', '0b1', '0o7', '12abc', '1_000', '1,5', 'NaN', 'Infinity', '-Infinity', '1e999', `1${'0'.repeat(400)}`, HUGE, '--1', '1e', 'e3', '.', '+', '\u0661\u0662', '\uff11\uff12', '１', '1 2', `${'1'.repeat(50_000)}x`];

describe('one parser for CLI flags and page parameters', () => {
  // [raw, value both must take or null when both must refuse]: an integer field with the same range on both (a seed)
  const seedCases: [string, number | null][] = [
    ['12', 12], [' 12 ', 12], ['\t12\n', 12], ['+12', 12], ['1e3', 1000], ['1E3', 1000], ['12.0', 12], ['12.', 12], ['1.2e1', 12],
    ['-0', 0], ['0', 0], ['2147483647', 2147483647], ['2147483648', null], ['-1', null], ['3.5', null], ['.5', null], ['1e-3', null],
    ['1e308', null], ...HOSTILE.map((h): [string, null] => [h, null]),
  ];
  it.each(seedCases)('integer field (seed): %j', (raw, want) => {
    const cli = cliReads('data-seed', 'dataSeed', raw);
    const page = pageReads('dataseed', 'dataSeed', raw);
    expect(cli).toBe(want); // toBe tells 0 from -0
    expect(page).toBe(want);
  });

  // a float field, values inside both the CLI's range and the page's
  const floatCases: [string, number | null][] = [
    ['0.25', 0.25], [' 0.25 ', 0.25], ['.25', 0.25], ['2.5e-1', 0.25], ['25e-2', 0.25], ['1', 1], ['100', 100], ['1e2', 100],
    ['1e3', null], ['-0.25', null], ...HOSTILE.map((h): [string, null] => [h, null]),
  ];
  it.each(floatCases)('float field (step-size scale): %j', (raw, want) => {
    expect(cliReads('lr-scale', 'lrScale', raw)).toBe(want);
    expect(pageReads('lrscale', 'lrScale', raw)).toBe(want);
  });

  const enumCases: [string, string | null][] = [['sign', 'sign'], [' sign ', 'sign'], ['Sign', null], ['SIGN', null], ['', null], ['sign,teacher', null], ['<b>', null]];
  it.each(enumCases)('enum field (labels): %j', (raw, want) => {
    expect(cliReads('labels', 'labels', raw)).toBe(want);
    expect(pageReads('labels', 'labels', raw)).toBe(want);
  });

  it('every run field of the page: the CLI and the page agree wherever their ranges overlap', () => {
    const inputs = ['', '0', '-0', '1', '2', '7', '12', '12.0', '1e1', '1e3', '3.5', '0.5', ' 64 ', 'sign', 'resnet', 'fc', 'true', 'auto', HUGE, ...HOSTILE];
    for (const f of STATE_FIELDS) {
      const inPageRange = (v: unknown) => typeof v !== 'number' || (v >= f.spec.min! && v <= f.spec.max!);
      for (const raw of inputs) {
        const cli = cliReads(FLAG_OF[f.key], f.key, raw);
        const page = pageReads(f.param, f.key, raw);
        const where = `--${FLAG_OF[f.key]} / ${f.param}=${JSON.stringify(raw)}`;
        if (page !== null) expect(cli, where).toBe(page); // the page's range lies inside the CLI's
        if (cli !== null && inPageRange(cli)) expect(page, where).toBe(cli);
      }
    }
  });

  it('says what is wrong and the nearest allowed value', () => {
    const int = { kind: 'int', min: 1, max: 8 } as const;
    expect(parseValue(int, '3.5')).toEqual({ ok: false, reason: 'not-integer', number: 3.5, nearest: 4 });
    expect(parseValue(int, '8.6')).toEqual({ ok: false, reason: 'above-max', number: 8.6, nearest: 8 });
    expect(parseValue(int, '0')).toEqual({ ok: false, reason: 'below-min', number: 0, nearest: 1 });
    expect(parseValue(int, '1e999')).toEqual({ ok: false, reason: 'unreadable' });
    expect(parseValue({ kind: 'nullableFloat', min: 0, max: 1 }, ' auto ')).toEqual({ ok: true, value: null });
    expect(parseValue({ kind: 'bool' }, '')).toEqual({ ok: true, value: true });
    expect(parseValue({ kind: 'names', values: ['a', 'b'] }, 'b, a,,b')).toEqual({ ok: true, value: ['b', 'a'] });
    expect(parseValue({ kind: 'names', values: ['a', 'b'] }, 'a,c')).toEqual({ ok: false, reason: 'unknown-names', unknown: ['c'], nearest: ['a'] });
  });

  it('the page repairs what the CLI refuses, and its notice names what it uses', () => {
    const { state, notices } = readState(new URLSearchParams('depth=2.5&width=1e9&dataseed=-0&autoplay=yes'));
    expect(state.config).toMatchObject({ L: 3, m: 4096, dataSeed: 0 });
    expect(notices.map((n) => n.message)).toEqual([
      'depth L: 2.5 is not a whole number; using 3',
      'width m: "1e9" is above the largest allowed, 4096; using 4096',
      'autoplay: "yes" is not true or false; using true',
    ]);
    expect(() => parseArgs(['--L', '3.5'], DEFAULT_CONFIG)).toThrow('--L: got "3.5", expected an integer in [1, 64]');
    expect(() => parseArgs(['--lr', 'x'], DEFAULT_CONFIG)).toThrow('--lr: got "x", expected a number in [1e-12, 1000000] or auto');
    expect(stateField('L').spec.max).toBe(8);
  });
});

describe("panels' choices read numbers in the same grammar", () => {
  it.each([['2048', '2048'], [' 2.048e3 ', '2048'], ['0x800', null], ['2048abc', null], ['Infinity', null], ['', null]])('ntk-width=%j', (raw, want) => {
    const { state, notices } = readState([['ntk-width', raw]]);
    expect(state.choices['ntk-width'] ?? null).toBe(want);
    expect(notices).toHaveLength(want === null ? 1 : 0);
  });
});

describe('view fields: one table, read and written like run fields', () => {
  it('reads autoplay as an HTML boolean attribute, trims, and round-trips', () => {
    expect(readState([['autoplay', '']]).state.autoplay).toBe(true);
    const { state, notices } = readState(new URLSearchParams('autoplay=%20false%20&stepaxis=log&hide=sweep,settings,sweep'));
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ autoplay: false, stepAxis: 'log', hide: ['sweep', 'settings'] });
    expect(writeState(state)).toEqual([['hide', 'sweep,settings'], ['autoplay', 'false'], ['stepaxis', 'log']]);
    expect(readState(writeState(state)).state).toEqual(state);
    expect(writeState({ ...DEFAULT_STATE, hide: [] })).toEqual([]);
  });

  it('repairs a list by dropping unknown names, with one notice', () => {
    const { state, notices } = readState([['hide', 'slider,wings,fins']]);
    expect(state.hide).toEqual(['slider']);
    expect(notices).toEqual([{ param: 'hide', message: 'hide: "wings", "fins" are not controls; controls are slider, transport, sweep, settings' }]);
  });
});

describe('repeated URL keys: the last value wins, on the essay and on embed.html alike', () => {
  /** What embed.html trains: its query copied into attributes (src/essay/embed/embedPage.ts), read as the element does. */
  function embedReads(query: string) {
    const attrs = lastValueOfEach(new URLSearchParams(query)).filter(([name]) => name !== 'panel' && ELEMENT_ATTRIBUTES.includes(name));
    return readState(attrs);
  }
  const essayReads = (query: string) => readState(new URLSearchParams(query));

  it.each([
    ['width=abc&width=512', 512, []],
    ['width=512&width=abc', 256, ['width m: "abc" is not a number; using 256']],
    ['width=64&Width=128&WIDTH=1024', 1024, []],
    ['WIDTH=96', 96, []],
    ['width=64&depth=2&width=9999', 4096, ['width m: 9999 is above the largest allowed, 4096; using 4096']],
  ])('%s trains width %i with notices %j', (query, width, messages) => {
    for (const read of [essayReads, embedReads]) {
      const { state, notices } = read(query);
      expect(state.config.m).toBe(width);
      expect(notices.map((n) => n.message)).toEqual(messages);
    }
  });

  it('keeps the first place of a name, with its last value', () => {
    expect(lastValueOfEach([['a', '1'], ['b', '2'], ['A', '3']])).toEqual([['a', '3'], ['b', '2']]);
  });
});
