import type { TrainingScope } from './trainingHost.ts';
import { defaultPoolSize, WorkerPool } from './workerPool.ts';

/**
 * The embed library's pool (src/essay/embed/embedLibrary.ts passes it to every panel it mounts). The
 * worker is the file worker.js beside the module (wasm embedded in it), found relative to the
 * module, so the files can be hosted anywhere. Where the page cannot start it (another origin under
 * a CSP without worker-src blob:), runs are hosted in the page itself.
 */

/** Not a string literal: vite must not treat it as an asset of this source file. */
const WORKER_FILE = ['.', 'worker.js'].join('/');

export function spawnTrainingWorker(): Worker {
  return spawnWorkerAt(new URL(WORKER_FILE, import.meta.url));
}

/**
 * The training worker at `url`: directly when it is of the page's origin, else through a blob:
 * worker (a page of another origin, or the opaque origin "null" of a sandboxed iframe, may not
 * start it directly), else in the page.
 */
export function spawnWorkerAt(url: URL): Worker {
  const options: WorkerOptions = { type: 'module', name: 'wide-enough-training' };
  // self.origin, not location.origin: a sandboxed frame's location keeps its URL's origin, its own is "null"
  if (url.origin === self.origin) return new Worker(url, options);
  if (workersHere === 'page') return new InPageWorker() as unknown as Worker;
  return new CrossOriginWorker(url, options) as unknown as Worker;
}

/** Learned from the first worker of another origin: can this page start one (else runs go in the page)? */
let workersHere: 'worker' | 'page' | null = null;

type Listener<E> = ((ev: E) => void) | null;

/**
 * What WorkerPool needs of a worker, run in this page: the training host on one end of a
 * MessageChannel, on the TypeScript kernels (a page that refused a worker refuses wasm too, most
 * likely). Steps run in slices between the page's own tasks, so the page stays responsive, if busier.
 */
class InPageWorker {
  onmessage: Listener<MessageEvent> = null;
  onerror: Listener<ErrorEvent> = null;
  private readonly port: MessagePort;
  private readonly host: Promise<{ stop(): void } | null>;

  constructor() {
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.port.onmessage = (ev) => this.onmessage?.(ev);
    const hostPort = channel.port2; // messages wait in it until the host listens
    this.host = Promise.all([import('./trainingHost.ts'), import('../net/kernels.ts')]).then(
      ([{ hostTraining }, { referenceKernels }]) => hostTraining(hostPort as unknown as TrainingScope, Promise.resolve(referenceKernels)),
      (err: unknown) => {
        this.onerror?.(new ErrorEvent('error', { message: `the training code could not load (${String(err)})` }));
        return null;
      },
    );
  }

  postMessage(message: unknown): void {
    this.port.postMessage(message);
  }

  terminate(): void {
    this.port.close();
    void this.host.then((h) => h?.stop());
  }
}

/**
 * Whether this page's Content-Security-Policy lets it start a blob: worker. Asking by trying would
 * log a violation on the reader's console, so the policy is read instead: <meta http-equiv> tags and
 * the header of the page itself (a HEAD request to its own URL). When in doubt, yes: the attempt
 * then decides (see CrossOriginWorker).
 */
let blobPolicy: Promise<boolean> | null = null;

function blobWorkersAllowed(): Promise<boolean> {
  return (blobPolicy ??= (async () => {
    const policies = [...document.querySelectorAll<HTMLMetaElement>('meta[http-equiv]')]
      .filter((m) => m.httpEquiv.toLowerCase() === 'content-security-policy')
      .map((m) => m.content);
    try {
      const res = await fetch(location.href, { method: 'HEAD', credentials: 'same-origin' });
      const header = res.headers.get('content-security-policy');
      if (header) policies.push(...header.split(','));
    } catch {
      // a file: page, or offline: the meta tags are all there is
    }
    return policies.every(allowsBlobWorkers);
  })());
}

/** worker-src, else child-src, else script-src, else default-src: does it list blob:? */
export function allowsBlobWorkers(policy: string): boolean {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values.map((v) => v.toLowerCase()));
  }
  const sources = directives.get('worker-src') ?? directives.get('child-src') ?? directives.get('script-src') ?? directives.get('default-src');
  return !sources || sources.includes('blob:');
}

/**
 * A page may only start workers from its own origin. From another origin, a one-line module
 * worker of the page's origin (a blob: URL) imports the real one: the library's server sends CORS
 * headers, as it must for the module itself. Where the page's CSP refuses blob: workers, runs go in
 * the page instead (InPageWorker), as they do when the blob: worker fails before it says anything.
 */
class CrossOriginWorker {
  onmessage: Listener<MessageEvent> = null;
  onerror: Listener<ErrorEvent> = null;
  private inner: Worker | InPageWorker | null = null;
  private sent: unknown[] | null = []; // until the worker first answers
  private terminated = false;

  constructor(url: URL, options: WorkerOptions) {
    void blobWorkersAllowed().then((allowed) => {
      if (this.terminated) return;
      if (allowed && workersHere !== 'page') this.startWorker(url, options);
      else this.startInPage();
    });
  }

  private startWorker(url: URL, options: WorkerOptions): void {
    const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};\n`], { type: 'text/javascript' }));
    let worker: Worker;
    try {
      worker = new Worker(shim, options);
    } catch {
      URL.revokeObjectURL(shim);
      this.startInPage();
      return;
    }
    setTimeout(() => URL.revokeObjectURL(shim), 60_000);
    worker.onmessage = (ev) => {
      this.sent = null;
      workersHere = 'worker';
      this.onmessage?.(ev);
    };
    worker.onerror = (ev) => {
      if (this.sent && workersHere !== 'worker') {
        // it never answered: it could not start here
        ev.preventDefault();
        worker.terminate();
        this.startInPage();
        return;
      }
      this.onerror?.(ev);
    };
    this.inner = worker;
    for (const m of this.sent ?? []) worker.postMessage(m);
  }

  private startInPage(): void {
    workersHere = 'page';
    const w = new InPageWorker();
    w.onmessage = (ev) => this.onmessage?.(ev);
    w.onerror = (ev) => this.onerror?.(ev);
    const pending = this.sent ?? [];
    this.sent = null;
    this.inner = w;
    for (const m of pending) w.postMessage(m);
  }

  postMessage(message: unknown): void {
    this.sent?.push(message);
    this.inner?.postMessage(message);
  }

  terminate(): void {
    this.terminated = true;
    this.inner?.terminate();
  }
}

let shared: WorkerPool | null = null;

/** The page's one pool, shared by all its panels. */
export function embedPool(): WorkerPool {
  return (shared ??= new WorkerPool(defaultPoolSize(), spawnTrainingWorker));
}
