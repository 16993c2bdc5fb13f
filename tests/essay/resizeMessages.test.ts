import { describe, expect, it } from 'vitest';
import { asksForHeight, resizeMessages, wordpressSecret } from '../../src/essay/embed/resizeMessages.ts';

describe("embed.html's resize messages, in each host's form", () => {
  const page = { href: 'https://site/embed.html?panel=ntk&childId=c1#?secret=Ab3', childId: 'c1', panel: 'ntk', wpSecret: 'Ab3' };

  it("says the height in ours, pym.js's, Embedly's, AMP's and Datawrapper's forms", () => {
    const m = resizeMessages(712, page);
    expect(m).toContainEqual({ type: 'wide-enough:height', height: 712 });
    expect(m).toContain('pymxPYMxc1xPYMxheightxPYMx712');
    const embedly = m.find((x) => typeof x === 'string' && x.startsWith('{')) as string;
    expect(JSON.parse(embedly)).toEqual({ src: page.href, context: 'iframe.resize', height: 712 });
    expect(m).toContainEqual({ sentinel: 'amp', type: 'embed-size', height: 712 });
    expect(m).toContainEqual({ 'datawrapper-height': { ntk: 712 } });
    expect(m).toContainEqual({ message: 'height', value: 712, secret: 'Ab3' });
  });

  it("reads WordPress's secret from the fragment it adds, letters and digits only", () => {
    expect(wordpressSecret('#?secret=x8Yq2LmN0p')).toBe('x8Yq2LmN0p');
    expect(wordpressSecret('')).toBeNull();
    expect(wordpressSecret('#?secret=a"b')).toBeNull();
    expect(resizeMessages(500, { ...page, wpSecret: null }).some((x) => (x as { message?: string }).message === 'height')).toBe(false);
  });

  it('sends no pym message without a child id (no pym parent could match it)', () => {
    expect(resizeMessages(500, { ...page, childId: null }).some((x) => typeof x === 'string' && x.includes('xPYMx'))).toBe(false);
  });

  it("answers our question, the pym parent's width message for its own child id only, and wp-embed.js's ready with its secret", () => {
    const none = { childId: null, wpSecret: null };
    expect(asksForHeight({ type: 'wide-enough:height?' }, none)).toBe(true);
    expect(asksForHeight('pymxPYMxc1xPYMxwidthxPYMx640', page)).toBe(true);
    expect(asksForHeight('pymxPYMxc2xPYMxwidthxPYMx640', page)).toBe(false);
    expect(asksForHeight('pymxPYMxc1xPYMxwidthxPYMx640', none)).toBe(false);
    expect(asksForHeight({ type: 'wide-enough:height' }, page)).toBe(false);
    expect(asksForHeight({ message: 'ready', secret: 'Ab3' }, page)).toBe(true);
    expect(asksForHeight({ message: 'ready', secret: 'other' }, page)).toBe(false);
    expect(asksForHeight(null, page)).toBe(false);
  });
});
