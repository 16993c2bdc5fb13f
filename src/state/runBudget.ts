import type { RunConfig } from '../train/config.ts';
import { estimateRun, formatBytes, PAGE_MEMORY_BUDGET } from '../train/estimate.ts';

/** The sizes that set a run's memory, in the order a repair gives them back their defaults. */
const SIZE_FIELDS: readonly { key: 'm' | 'L' | 'n' | 'd'; param: string; label: string }[] = [
  { key: 'm', param: 'width', label: 'width' },
  { key: 'L', param: 'depth', label: 'depth' },
  { key: 'n', param: 'n', label: 'n' },
  { key: 'd', param: 'd', label: 'd' },
];

/** Why a config does not fit a page: "width 4096, depth 8, n = 128, d = 256 needs about 2.2 GB, more than ...". */
export function overBudget(config: RunConfig, budget = PAGE_MEMORY_BUDGET): string | null {
  const bytes = estimateRun(config).bytes.total;
  if (bytes <= budget) return null;
  return (
    `width ${config.m}, depth ${config.L}, n = ${config.n}, d = ${config.d} needs about ${formatBytes(bytes)} of memory, ` +
    `more than the ${formatBytes(budget)} a run on this page may use (so that it fits a phone's browser)`
  );
}

/**
 * The page's side of the memory budget: a config over it gets its sizes back from `fallback`,
 * width first, until it fits. Repairs `config` in place; returns the notice, if any.
 */
export function repairBudget(config: RunConfig, fallback: RunConfig, budget = PAGE_MEMORY_BUDGET): { param: string; message: string }[] {
  const why = overBudget(config, budget);
  if (!why) return [];
  const changed: string[] = [];
  for (const f of SIZE_FIELDS) {
    if (config[f.key] === fallback[f.key]) continue;
    config[f.key] = fallback[f.key];
    changed.push(`${f.label} ${fallback[f.key]}`);
    if (!overBudget(config, budget)) break;
  }
  const param = SIZE_FIELDS.find((f) => changed[0]?.startsWith(f.label))?.param ?? 'width';
  return [{ param, message: `${why}; using ${changed.join(', ')}` }];
}
