import type { RunConfig } from './config.ts';
import reproduceSource from './reproduce.py?raw';

/**
 * A figure's runs as one JSON document (what the page's "Run" download writes): for each run its
 * whole config (seeds included), the step size eta it trained with and every record it kept, so it
 * can be checked elsewhere; and reproduce.py, a numpy script with the document inside it that draws
 * the same data and initialization from the seeds and trains them again (src/train/reproduce.py).
 */
export const RUN_EXPORT_FORMAT = 'wide-enough-run/1';

export interface RunExportEntry {
  key: string;
  config: RunConfig;
  /** eta actually used (null until the run has set up). */
  lr: number | null;
  /** How the run ended, or "running" / "paused" when it was saved. */
  status: string;
  /** Every record kept, a column per field: step and loss always. */
  records: Record<string, number[]>;
}

export interface RunExport {
  format: typeof RUN_EXPORT_FORMAT;
  panel: string;
  /** The page the runs were trained on, with its settings in the query. */
  page: string;
  runs: RunExportEntry[];
}

/** reproduce.py with `exp` inside it (RUN = ...): runs with `python3 reproduce.py`, nothing else needed but numpy. */
export function reproduceScript(exp: RunExport): string {
  // a JSON string literal is a valid Python string literal (its escapes are Python's too)
  const line = `RUN = json.loads(${JSON.stringify(JSON.stringify(exp))})  # the page's export`;
  const out = reproduceSource.replace(/^RUN = None\b.*$/m, () => line);
  if (out === reproduceSource) throw new Error('reproduce.py has no RUN line to fill in');
  return out;
}

/** The script as it is, for a run exported to its own file (python3 reproduce.py run.json). */
export const REPRODUCE_PY: string = reproduceSource;
