import { PANEL_CHOICES } from '../../state/panelChoices.ts';
import { DEFAULT_STATE, fieldValue, formatValue, PAGE_FIELDS } from '../../state/urlState.ts';
import type { ValueSpec } from '../../train/fieldValue.ts';

/** The values column: what a field's spec accepts. */
function allowedValues(spec: ValueSpec): string {
  switch (spec.kind) {
    case 'enum':
      return spec.values!.join(', ');
    case 'names':
      return `comma-separated: ${spec.values!.join(', ')}`;
    case 'bool':
      return 'true, false';
    default:
      return `${spec.kind === 'int' ? 'whole number' : 'number'}${Number.isFinite(spec.min) ? ` from ${formatValue(spec.min)}` : ''}${Number.isFinite(spec.max) ? ` to ${formatValue(spec.max)}` : ''}`;
  }
}

/**
 * The attribute table of README's "Embed a panel", generated from the state schema
 * (tests/essay/embedDocs.test.ts fails when README's copy is stale and prints this one).
 */
export function attributeTable(): string {
  const rows = ['| attribute | what | values | default |', '| --- | --- | --- | --- |'];
  rows.push('| `panel` | which panel (required) | a panel ID below | |');
  for (const f of PAGE_FIELDS) {
    const what = f.group === 'view' ? f.what : f.label;
    rows.push(`| \`${f.param}\` | ${what} | ${allowedValues(f.spec)} | ${formatValue(fieldValue(DEFAULT_STATE, f))} |`);
  }
  for (const c of PANEL_CHOICES) rows.push(`| \`${c.param}\` | ${c.label} (the \`${c.panel}\` panel only) | ${c.values.join(', ')} | ${c.fallback} |`);
  return rows.join('\n');
}
