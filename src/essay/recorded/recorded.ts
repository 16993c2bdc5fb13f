import { unpackDecimals } from './packedDecimals.ts';
import results from './results.json';

/**
 * Results recorded at build time (scripts/recordResults.ts, run by the vite plugin
 * scripts/vitePluginRecorded.ts whenever the code they come from has changed): each figure's default
 * runs, trained in Node by the same core with the same settings, and what the figure quotes from
 * them. The page shows them, labelled as recorded, until the live runs get there.
 */
export interface RecordedCurve {
  m: number;
  steps: number[];
  loss: number[];
  /** How the run ended (its stop rule's reason). */
  end: string;
}

export interface RecordedPanel {
  /** The essay's data-bind texts, by key, as the figure's controller computes them from the finished runs. */
  binds?: Record<string, string>;
  /**
   * Numbers measured at build time only (a sweep too long to run on a page), by the key of their
   * data-bind spans: shown labelled as such, and never replaced by a live value.
   */
  measured?: Record<string, string>;
  /** Loss curves (the hero figure's). */
  curves?: RecordedCurve[];
}

export interface RecordedResults {
  /** sha256 of the source files the recording comes from (scripts/recordedInputs.ts). */
  inputs: string;
  recordedAt: string;
  /** How long the recording took, in ms. */
  ms: number;
  /** The kernels it ran on (wasm-relaxed-simd, as in Chromium). */
  kernels: string;
  panels: Record<string, RecordedPanel>;
}

/**
 * The page's copy holds the curves only (the quoted numbers are in index.html), with n for steps
 * 0, 1, ..., n - 1 and the losses packed (scripts/vitePluginRecorded.ts pageCopy); this writes both
 * out again. Node's copy has everything, as lists.
 */
export function expandCurves(r: RecordedResults): RecordedResults {
  for (const panel of Object.values(r.panels))
    for (const c of panel.curves ?? []) {
      const n: unknown = c.steps;
      if (typeof n === 'number') c.steps = Array.from({ length: n }, (_, i) => i);
      const loss: unknown = c.loss;
      if (typeof loss === 'string') c.loss = unpackDecimals(loss);
    }
  return r;
}

export const RECORDED = expandCurves(results as unknown as RecordedResults);

export function recordedPanel(id: string): RecordedPanel | null {
  return RECORDED.panels[id] ?? null;
}
