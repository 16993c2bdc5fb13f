/**
 * Downloads of what a panel shows: the SVG as drawn (computed styles inlined, so it looks the same
 * outside the page) with the figure's title, legend and caption around it (figureExport.ts), a PNG
 * of that at twice its size, and the data behind it as CSV.
 * No network, no eval: blobs and object URLs only. The pictures are made by downloadRender.ts and
 * the CSV by downloadCsv.ts, loaded on the first click (no panel needs that code to draw).
 */

/**
 * A row of download buttons for a figure. `source` is asked at click time, so it reflects what is
 * on screen then. File names say what made them (panel ID and the state's key parameters).
 */
export interface DownloadSource {
  svg(): SVGSVGElement | null;
  canvases?(): HTMLCanvasElement[];
  csv(): { columns: string[]; rows: unknown[][] };
  basename(): string; // e.g. "width-convergence_m256_L2_n16_seed1"
}

export function createDownloadButtons(parent: HTMLElement, source: DownloadSource): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'downloads';
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', 'Download this figure');
  const make = (label: string, title: string, act: () => void | Promise<void>) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.title = title;
    b.addEventListener('click', () => void act());
    bar.append(b);
  };
  // the code first: a panel's composite SVG lives only until the next task (panelParts.ts)
  make('SVG', 'Download the chart as SVG', async () => {
    const render = await import('./downloadRender.ts');
    const svg = source.svg();
    if (svg) render.downloadSvg(svg, `${source.basename()}.svg`, parent, source.canvases?.() ?? []);
  });
  make('PNG', 'Download the chart as PNG', async () => {
    const render = await import('./downloadRender.ts');
    const svg = source.svg();
    if (svg) await render.downloadPng(svg, `${source.basename()}.png`, source.canvases?.() ?? [], parent);
  });
  make('CSV', 'Download the data as CSV', async () => {
    // the data as on screen at the click, then the code
    const { columns, rows } = source.csv();
    const name = `${source.basename()}.csv`;
    const { downloadCsv } = await import('./downloadCsv.ts');
    downloadCsv(columns, rows, name);
  });
  parent.append(bar);
  return bar;
}
