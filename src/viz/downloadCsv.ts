import { save } from './saveBlob.ts';

/** The CSV a panel's CSV button saves (download.ts loads this on the first click). */

function csvCell(v: unknown): string {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v ?? '');
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text with a header row. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [columns.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}

export function downloadCsv(columns: readonly string[], rows: readonly (readonly unknown[])[], filename: string): void {
  save(new Blob([toCsv(columns, rows)], { type: 'text/csv' }), filename);
}
