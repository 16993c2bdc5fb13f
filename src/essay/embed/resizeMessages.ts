/**
 * What embed.html posts to its parent when its height changes: its own message, for
 * wide-enough-host.js, and the resize messages of the hosts that never run that script, each in
 * the form that host's listener reads:
 * - pym.js (NPR's; many news CMSes): the string "pym" xPYMx childId xPYMx "height" xPYMx height,
 *   with the childId the pym parent put in the frame's URL (?childId=...); only when there is one.
 * - Embedly-style (Embedly, and so Medium; Iframely; Observable's and others' listeners of the
 *   same kind): the JSON string {"src", "context": "iframe.resize", "height"}.
 * - AMP's <amp-iframe resizable>: {sentinel: "amp", type: "embed-size", height}.
 * - Datawrapper's responsive snippet: {"datawrapper-height": {id: height}}.
 * - WordPress's wp-embed.js, which sizes the sandboxed frame it made of an oEmbed document from a
 *   provider it does not trust: {message: "height", value, secret}, with the secret WordPress put
 *   in the frame's URL (#?secret=...); only when there is one. WordPress keeps it in 200..1000 px.
 * A height is no secret: any parent may have it.
 */
export interface FramePage {
  href: string;
  panel: string;
  /** pym.js's child id (?childId=...). */
  childId: string | null;
  /** WordPress's secret (#?secret=...). */
  wpSecret: string | null;
}

/** WordPress's secret from the frame URL's fragment, if it is one (letters and digits). */
export function wordpressSecret(hash: string): string | null {
  return /[#?&]secret=([A-Za-z0-9]+)(?:&|$)/.exec(hash)?.[1] ?? null;
}

export function resizeMessages(height: number, page: FramePage): unknown[] {
  const messages: unknown[] = [
    { type: 'wide-enough:height', height },
    JSON.stringify({ src: page.href, context: 'iframe.resize', height }),
    { sentinel: 'amp', type: 'embed-size', height },
    { 'datawrapper-height': { [page.panel || 'wide-enough']: height } },
  ];
  if (page.childId) messages.push(['pym', page.childId, 'height', String(height)].join('xPYMx'));
  if (page.wpSecret) messages.push({ message: 'height', value: height, secret: page.wpSecret });
  return messages;
}

/** Whether a message from the parent asks for the height again: ours, a pym parent's width message, or wp-embed.js's "ready". */
export function asksForHeight(data: unknown, page: Pick<FramePage, 'childId' | 'wpSecret'>): boolean {
  if (typeof data === 'string') return !!page.childId && data.startsWith(['pym', page.childId, 'width'].join('xPYMx') + 'xPYMx');
  const m = data as { type?: unknown; message?: unknown; secret?: unknown } | null;
  return m?.type === 'wide-enough:height?' || (!!page.wpSecret && m?.message === 'ready' && m.secret === page.wpSecret);
}
