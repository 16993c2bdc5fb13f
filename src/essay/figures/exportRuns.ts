import type { RUN_EXPORT_FORMAT, RunExport } from '../../train/runExport.ts';
import type { Run } from './runSet.ts';

/** A figure's runs as the Run download's JSON: config, seeds, eta, every record kept. Runs not set up yet (no eta) are left out. */
export function exportRuns(panel: string, runs: readonly Run<unknown>[], page: string, format: typeof RUN_EXPORT_FORMAT): RunExport {
  return {
    format,
    panel,
    page,
    runs: runs
      .filter((r) => r.info !== null)
      .map((r) => ({
        key: r.key,
        config: { ...r.spec.config },
        lr: r.info?.lr ?? null,
        status: r.end?.reason ?? (r.error !== null ? 'error' : r.handle.active ? 'running' : 'paused'),
        records: Object.fromEntries([...r.cols].map(([field, values]) => [field, values.slice()])),
      })),
  };
}
