import type { Roofline } from './roofline.ts';
import type { BenchCase } from './steps.ts';

/** Page -> bench worker. */
export interface BenchRequest {
  widths: number[];
  reps: number;
  impls: string[] | null;
  loop: boolean;
}

/** Bench worker -> page. */
export type BenchMessage =
  | { type: 'log'; text: string }
  | { type: 'done'; cases: BenchCase[]; loopStepsPerSecond: Record<string, number>; info: Record<string, string>; roofline: Roofline | null }
  | { type: 'error'; message: string };
