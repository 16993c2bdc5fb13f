/**
 * A downloaded figure that reads on its own: the chart's SVG inside a picture that also carries the
 * figure's title, its legend (each entry's color, label and note) and its caption, wrapped to the
 * picture's width, and a line saying where it came from. Read from the figure as it is on screen.
 */

export interface LegendLine {
  label: string;
  note: string;
  color: string;
  shape: 'line' | 'dashed' | 'dotted' | 'dot';
}

export interface FigureText {
  title: string;
  legend: LegendLine[];
  caption: string;
  source: string;
}

const PAD = 16;
const MIN_WIDTH = 480;
const TITLE_PX = 16;
const TEXT_PX = 12.5;
const LINE = 1.35;

function visible(e: Element): boolean {
  return e.getClientRects().length > 0;
}

function swatchColor(swatch: Element | null, fallback: string): string {
  if (!swatch) return fallback;
  const cs = getComputedStyle(swatch);
  if (opaque(cs.backgroundColor)) return cs.backgroundColor;
  // a dashed or dotted swatch paints var(--curve) in a gradient: resolve the variable on a probe
  const probe = document.createElement('span');
  probe.style.color = 'var(--curve)';
  swatch.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return cs.getPropertyValue('--curve').trim() && opaque(color) ? color : fallback;
}

/** The words around the chart, from the figure: title (data-title or aria-label), legend, caption. */
export function figureText(figure: HTMLElement): FigureText {
  const color = getComputedStyle(figure).color;
  const legend = [...figure.querySelectorAll<HTMLElement>('.curve-legend li')].filter(visible).map((li): LegendLine => {
    const swatch = li.querySelector('.swatch');
    return {
      label: (li.querySelector('.legend-label')?.textContent ?? li.textContent ?? '').trim(),
      note: (li.querySelector('.legend-note')?.textContent ?? '').trim(),
      color: swatchColor(swatch, color),
      shape: (['dashed', 'dotted', 'dot'] as const).find((k) => swatch?.classList.contains(k)) ?? 'line',
    };
  });
  const caption = [...figure.querySelectorAll('figcaption')]
    .filter(visible)
    .map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' ');
  const title = figure.dataset.title ?? figure.getAttribute('aria-label') ?? '';
  return { title, legend, caption, source: `Wide Enough: ${location.href}` };
}

/** Splits `text` into lines no wider than `width` px in `font` (a word longer than a line gets a line of its own). */
export function wrapText(text: string, width: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function measurer(font: string): (s: string) => number {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return (s) => s.length * 7;
  ctx.font = font;
  return (s) => ctx.measureText(s).width;
}

function opaque(c: string): boolean {
  return !!c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c);
}

/** The first painted background behind the figure; if none (an embed on a transparent page), white, or near-black under light ink. */
export function backgroundOf(figure: HTMLElement, ink: string): string {
  for (let e: Element | null = figure; e; e = e.parentElement ?? ((e.getRootNode() as ShadowRoot).host ?? null)) {
    const c = getComputedStyle(e).backgroundColor;
    if (opaque(c)) return c;
  }
  const [r, g, b] = (ink.match(/[\d.]+/g) ?? ['0', '0', '0']).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 ? '#111' : '#fff';
}

/** A picture drawn beneath the chart (a canvas layer, as a data: URL), placed relative to the chart's corner. */
export interface Underlay {
  href: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ComposedFigure {
  svg: string;
  width: number;
  height: number;
  /** Where the chart's top-left corner sits in the picture. */
  chartX: number;
  chartY: number;
}

/**
 * The picture: title, chart (`chartSvg`, a standalone SVG of chartWidth x chartHeight), legend,
 * caption and source line. `background`: paint the figure's background (not over canvas layers
 * drawn beneath, in a PNG). `underlays`: canvas layers as images under the chart (in an SVG).
 */
export function composeFigure(
  figure: HTMLElement,
  chartSvg: string,
  chartWidth: number,
  chartHeight: number,
  background = true,
  underlays: readonly Underlay[] = [],
): ComposedFigure {
  const text = figureText(figure);
  const cs = getComputedStyle(figure);
  const family = cs.fontFamily || 'sans-serif';
  const ink = cs.color || '#222';
  const width = Math.max(MIN_WIDTH, Math.ceil(chartWidth)) + 2 * PAD;
  const inner = width - 2 * PAD;
  const body = measurer(`${TEXT_PX}px ${family}`);
  const parts: string[] = [];
  let y = PAD;
  const textLine = (s: string, px: number, weight: string, opacity = 1, x = PAD) => {
    y += px * LINE;
    parts.push(`<text x="${x}" y="${(y - px * 0.3).toFixed(1)}" font-size="${px}" font-weight="${weight}" fill="${esc(ink)}"${opacity < 1 ? ` fill-opacity="${opacity}"` : ''}>${esc(s)}</text>`);
  };
  for (const l of wrapText(text.title, inner, measurer(`bold ${TITLE_PX}px ${family}`))) textLine(l, TITLE_PX, 'bold');
  y += 6;
  const chartX = PAD + Math.max(0, (inner - chartWidth) / 2);
  const chartY = y;
  for (const u of underlays) {
    parts.push(`<image href="${esc(u.href)}" x="${(chartX + u.x).toFixed(1)}" y="${(chartY + u.y).toFixed(1)}" width="${u.width.toFixed(1)}" height="${u.height.toFixed(1)}" preserveAspectRatio="none"/>`);
  }
  parts.push(chartSvg.replace(/^<svg/, `<svg x="${chartX.toFixed(1)}" y="${chartY.toFixed(1)}"`));
  y += chartHeight + 8;
  for (const item of text.legend) {
    const words = item.note ? `${item.label}: ${item.note}` : item.label;
    const lines = wrapText(words, inner - 28, body);
    const top = y;
    lines.forEach((l) => textLine(l, TEXT_PX, 'normal', 1, PAD + 28));
    const mid = top + TEXT_PX * LINE * 0.5;
    const dash = item.shape === 'dashed' ? ' stroke-dasharray="5 3"' : item.shape === 'dotted' ? ' stroke-dasharray="2 3"' : '';
    parts.push(
      item.shape === 'dot'
        ? `<circle cx="${PAD + 10}" cy="${mid.toFixed(1)}" r="4" fill="${esc(item.color)}"/>`
        : `<line x1="${PAD}" x2="${PAD + 20}" y1="${mid.toFixed(1)}" y2="${mid.toFixed(1)}" stroke="${esc(item.color)}" stroke-width="3"${dash}/>`,
    );
  }
  if (text.legend.length) y += 6;
  for (const l of wrapText(text.caption, inner, body)) textLine(l, TEXT_PX, 'normal', 0.85);
  y += 4;
  for (const l of wrapText(text.source, inner, measurer(`10px ${family}`))) textLine(l, 10, 'normal', 0.6);
  const height = Math.ceil(y + PAD);
  const bg = backgroundOf(figure, ink);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${esc(family)}">` +
    `<title>${esc(text.title)}</title>` +
    (background ? `<rect width="100%" height="100%" fill="${esc(bg)}"/>` : '') +
    parts.join('') +
    '</svg>';
  return { svg, width, height, chartX, chartY };
}
