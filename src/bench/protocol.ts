import type { CanonicalRound } from './cases.ts';
import type { Roofline } from './roofline.ts';
import type { BenchCase } from './steps.ts';

/** Page -> bench worker. */
export interface BenchRequest {
  widths: number[];
  reps: number;
  impls: string[] | null;
  loop: boolean;
  /** Interleaved rounds of core+wasm and tfjs-wasm-hand on the canonical step, after the cases. */
  rounds: number;
}

/** Bench worker -> page. */
export type BenchMessage =
  | { type: 'log'; text: string }
  | {
      type: 'done';
      cases: BenchCase[];
      loopStepsPerSecond: Record<string, number>;
      info: Record<string, string>;
      roofline: Roofline | null;
      rounds: CanonicalRound[];
    }
  | { type: 'error'; message: string };

/** What bench.html leaves on window.__bench for the Chromium driver (npm run bench:browser). */
export interface BenchPageResult {
  done: boolean;
  error?: string;
  cases?: BenchCase[];
  loopStepsPerSecond?: Record<string, number>;
  info?: Record<string, string>;
  roofline?: Roofline | null;
  rounds?: CanonicalRound[];
  /** The kernels also load on the main thread: their variant and the max error of one product there. */
  mainThread?: string;
  log: string[];
}
