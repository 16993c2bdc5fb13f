import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * The hash the recorded results are keyed by: every TypeScript source under src/ (the core, the
 * training code, the figures' configs and view functions that compute the quoted text) and the
 * recorder itself. A change to any of them makes the next build record again.
 */
export const RESULTS_FILE = 'src/essay/recorded/results.json';
const RECORDER_FILES = ['scripts/recordResults.ts', 'scripts/recordedInputs.ts'];

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

export function inputsHash(root: string): string {
  const files = [...tsFiles(join(root, 'src')), ...RECORDER_FILES.map((f) => join(root, f))]
    .map((f) => relative(root, f).split(sep).join('/'))
    .sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f + '\0');
    h.update(readFileSync(join(root, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

/** The hash the stored results were recorded for ('' when there are none). */
export function storedHash(root: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, RESULTS_FILE), 'utf8')) as { inputs?: string }).inputs ?? '';
  } catch {
    return '';
  }
}
