import { save } from './saveBlob.ts';
import { backgroundOf, composeFigure, type ComposedFigure } from './figureExport.ts';

/** The pictures a panel's SVG and PNG buttons save (download.ts loads this on the first click). */

const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
] as const;

/** A standalone copy of an SVG element with its computed presentation inlined. */
export function standaloneSvg(svg: SVGSVGElement, background = true): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const source = [svg, ...svg.querySelectorAll('*')];
  const target = [clone, ...clone.querySelectorAll('*')];
  source.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
    (target[i] as SVGElement).setAttribute('style', style);
  });
  const box = svg.getBoundingClientRect();
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(Math.round(box.width)));
  clone.setAttribute('height', String(Math.round(box.height)));
  if (!clone.getAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${Math.round(box.width)} ${Math.round(box.height)}`);
  const bg = getComputedStyle(svg.closest('figure') ?? document.body).backgroundColor;
  if (background) clone.style.background = bg; // not over canvas layers drawn beneath it (PNG)
  return new XMLSerializer().serializeToString(clone);
}

/** The chart alone, or, given its figure, the chart with the figure's title, legend and caption (figureExport.ts). */
function picture(svg: SVGSVGElement, figure: HTMLElement | undefined, background: boolean, layers: HTMLCanvasElement[] = []): ComposedFigure {
  const box = svg.getBoundingClientRect();
  const chart = standaloneSvg(svg, background && !figure);
  const underlays = layers.map((c) => {
    const r = c.getBoundingClientRect();
    return { href: c.toDataURL('image/png'), x: r.left - box.left, y: r.top - box.top, width: r.width, height: r.height };
  });
  if (figure) return composeFigure(figure, chart, box.width, box.height, background, underlays);
  return { svg: chart, width: box.width, height: box.height, chartX: 0, chartY: 0 };
}

/** The SVG; canvas layers (heatmaps) go in as images beneath the chart, where a figure is given. */
export function downloadSvg(svg: SVGSVGElement, filename: string, figure?: HTMLElement, layers: HTMLCanvasElement[] = []): void {
  save(new Blob([picture(svg, figure, true, figure ? layers : []).svg], { type: 'image/svg+xml' }), filename);
}

/** Renders the picture (and any canvases stacked under the chart, in `layers`) to a PNG at twice its size (or devicePixelRatio, if more). */
export async function downloadPng(svg: SVGSVGElement, filename: string, layers: HTMLCanvasElement[] = [], figure?: HTMLElement): Promise<void> {
  const box = svg.getBoundingClientRect();
  const pic = picture(svg, figure, layers.length === 0);
  const scale = Math.max(2, globalThis.devicePixelRatio || 1);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(pic.width * scale);
  canvas.height = Math.round(pic.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas');
  const fig = figure ?? svg.closest('figure') ?? document.body;
  ctx.fillStyle = backgroundOf(fig as HTMLElement, getComputedStyle(fig).color);
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (const layer of layers) {
    const r = layer.getBoundingClientRect();
    ctx.drawImage(layer, (pic.chartX + r.left - box.left) * scale, (pic.chartY + r.top - box.top) * scale, r.width * scale, r.height * scale);
  }
  const url = URL.createObjectURL(new Blob([pic.svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('could not render the SVG'));
      img.src = url;
    });
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  } finally {
    URL.revokeObjectURL(url);
  }
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (blob) save(blob, filename);
}

