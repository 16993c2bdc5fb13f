import { formatSci, powerOfTen } from './format.ts';

/** Log-axis tick labels: 0.1, 1, 10, 100 plain; 10⁻³ and 10⁶ as powers of ten; 2×10⁻³ otherwise. */
export function logTick(v: number): string {
  const k = Math.log10(v);
  if (Math.abs(k - Math.round(k)) < 1e-9 && (v < 0.01 || v >= 1000)) return powerOfTen(v);
  return formatSci(v, 2);
}
