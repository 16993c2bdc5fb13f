import type { Run } from './runSet.ts';

/**
 * Adds a "Run" button to the figure's downloads (a row of its own where the figure has none): the
 * runs on screen as JSON and reproduce.py with them inside, which trains them again with numpy.
 */
export function attachRunDownload(root: HTMLElement, panel: string, runs: () => readonly Run<unknown>[]): { update(): void } {
  let bar = [...root.children].find((c) => c.classList.contains('downloads')) as HTMLElement | undefined;
  if (!bar) {
    bar = document.createElement('div');
    bar.className = 'downloads';
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', 'Download this figure');
    root.append(bar);
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Run';
  button.title = 'Download the runs (JSON: settings, seeds, step size, every record) and reproduce.py, a numpy script that trains them again';
  button.dataset.download = 'run';
  button.addEventListener('click', async () => {
    // reproduce.py (14 KB) comes with the first click: no figure needs it to draw
    const shown = runs();
    const [{ reproduceScript, RUN_EXPORT_FORMAT }, { exportRuns }, { save }] = await Promise.all([
      import('../../train/runExport.ts'),
      import('./exportRuns.ts'),
      import('../../viz/saveBlob.ts'),
    ]);
    const exp = exportRuns(panel, shown, location.href, RUN_EXPORT_FORMAT);
    if (exp.runs.length === 0) return;
    const json = JSON.stringify(exp, null, 1);
    const base = `${panel}_${exp.runs.map((r) => r.key).join('-')}`.slice(0, 120);
    save(new Blob([json + '\n'], { type: 'application/json' }), `${base}.run.json`);
    save(new Blob([reproduceScript(exp)], { type: 'text/x-python' }), 'reproduce.py');
  });
  bar.append(button);
  // nothing to save until a run has set up (a figure showing only recorded curves, say)
  const update = () => {
    const none = !runs().some((r) => r.info !== null);
    if (button.disabled !== none) button.disabled = none;
  };
  update();
  return { update };
}
