import './style.css';
import { DEFAULT_CONFIG, type RunConfig } from './train/config.ts';
import { unpackRecords, type DoneReason, type FromWorker, type ToWorker } from './train/protocol.ts';
import type { RunRecord } from './train/run.ts';
import { createLossChart, powerOfTen } from './viz/lossChart.ts';

/** The live figure's run. */
const LIVE_CONFIG: RunConfig = { ...DEFAULT_CONFIG, m: 256, steps: 3000, eps: 1e-4 };

type Status = 'starting' | 'running' | 'paused' | 'done' | 'error';

function must<T extends Element>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`missing element ${selector}`);
  return el;
}

/** "1e-4" -> "10⁻⁴"; other numbers as they are. */
function formatEps(eps: number): string {
  const k = Math.log10(eps);
  return Number.isInteger(k) ? powerOfTen(eps) : String(eps);
}

/** The caption's numbers, written from the config so they cannot disagree with the run. */
function describeConfig(c: RunConfig): string {
  const net = c.arch === 'fc' ? 'fully-connected' : `residual (\u03c4 = ${c.tau})`;
  const method = c.batch === 0 || c.batch >= c.n ? 'full-batch gradient descent' : `SGD with mini-batches of ${c.batch}`;
  const labels = { gaussian: 'Gaussian', sign: 'random \u00b11', teacher: 'teacher-network' }[c.labels];
  const trained = [c.trainA ? 'input layer' : '', `${c.L} hidden ${c.m}\u00d7${c.m} layer${c.L === 1 ? '' : 's'}`, c.trainB ? 'output layer' : '']
    .filter(Boolean)
    .join(', ');
  const lr =
    c.lr !== null
      ? `\u03b7 = ${c.lr}`
      : `\u03b7 = ${c.lrScale} / \u03bb(K\u2080), where \u03bb(K\u2080) is the largest eigenvalue of the network's tangent kernel at the start`;
  return (
    `A ${net} ReLU network of width m = ${c.m} and depth L = ${c.L}, trained by ${method} on ` +
    `n = ${c.n} random points of the unit sphere in d = ${c.d} dimensions with ${labels} labels. ` +
    `Only the ${trained} move. Step size ${lr}. ` +
    `The run stops when F \u2264 \u03b5 F\u2080 with \u03b5 = ${formatEps(c.eps)}, or after ${c.steps} steps.`
  );
}

/** The status line for a finished run. */
function doneText(reason: DoneReason, step: number, message: string): string {
  switch (reason) {
    case 'converged':
      return `converged: F \u2264 \u03b5 F\u2080 at step ${step}`;
    case 'steps':
      return `stopped at the step limit, step ${step}`;
    case 'diverged':
      return `diverged: ${message}`;
    case 'stopped':
      return message;
  }
}

function mountLossLive(figure: HTMLElement, config: RunConfig): void {
  const chart = createLossChart(must<HTMLElement>(figure, '[data-chart]'));
  const stepOut = must<HTMLElement>(figure, '[data-testid="step-value"]');
  const lossOut = must<HTMLElement>(figure, '[data-testid="loss-value"]');
  const statusOut = must<HTMLElement>(figure, '[data-testid="run-status"]');
  const button = must<HTMLButtonElement>(figure, 'button[data-action="toggle"]');
  must<HTMLElement>(figure, '[data-caption-config]').textContent = describeConfig(config);

  const worker = new Worker(new URL('./train/worker.ts', import.meta.url), { type: 'module' });
  const send = (msg: ToWorker) => worker.postMessage(msg);

  let records: RunRecord[] = [];
  let status: Status = 'starting';
  let userPaused = false;
  let onscreen = true;
  let frame = 0;

  function setStatus(s: Status, text: string): void {
    status = s;
    statusOut.textContent = text;
    statusOut.dataset.status = s;
    button.disabled = s === 'starting';
    button.textContent = s === 'done' || s === 'error' ? 'Run again' : s === 'paused' ? 'Resume' : 'Pause';
  }

  function render(): void {
    frame = 0;
    const last = records[records.length - 1];
    const first = records[0];
    chart.update(records, first ? config.eps * first.loss : undefined);
    if (last) {
      stepOut.textContent = String(last.step);
      lossOut.textContent = last.loss.toExponential(2);
    }
  }

  function requestRender(): void {
    if (!frame) frame = requestAnimationFrame(render);
  }

  function start(): void {
    records = [];
    userPaused = false;
    setStatus('starting', 'starting\u2026');
    send({ type: 'start', config });
    requestRender();
  }

  // Pause when the reader pauses, or while the figure is off screen or the tab is hidden.
  function syncRunning(): void {
    if (status !== 'running' && status !== 'paused') return;
    const want = !userPaused && onscreen && !document.hidden;
    if (want && status === 'paused') {
      send({ type: 'resume' });
      setStatus('running', 'training');
    } else if (!want && status === 'running') {
      send({ type: 'pause' });
      setStatus('paused', userPaused ? 'paused' : 'paused while out of view');
    }
  }

  worker.onmessage = (ev: MessageEvent<FromWorker>) => {
    const msg = ev.data;
    switch (msg.type) {
      case 'records':
        records.push(...unpackRecords(msg.data));
        if (status === 'starting') {
          setStatus('running', 'training');
          syncRunning();
        }
        requestRender();
        break;
      case 'done':
        setStatus('done', doneText(msg.reason, msg.step, msg.message));
        requestRender();
        break;
      case 'error':
        setStatus('error', `error: ${msg.message}`);
        break;
    }
  };
  worker.onerror = (ev) => {
    ev.preventDefault();
    setStatus('error', `error: the training worker failed (${ev.message || 'could not load'})`);
  };

  button.addEventListener('click', () => {
    if (status === 'done' || status === 'error') {
      start();
      return;
    }
    userPaused = status === 'running';
    syncRunning();
  });

  new IntersectionObserver((entries) => {
    onscreen = entries.some((e) => e.isIntersecting);
    syncRunning();
  }).observe(figure);
  document.addEventListener('visibilitychange', syncRunning);

  start();
}

for (const figure of document.querySelectorAll<HTMLElement>('figure[data-panel="loss-live"]')) {
  mountLossLive(figure, LIVE_CONFIG);
}
