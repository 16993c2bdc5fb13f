import { PANEL_CHOICES } from '../../state/panelChoices.ts';
import { CONTROL_NAMES, DEFAULT_STATE, formatValue, STATE_FIELDS } from '../../state/urlState.ts';

/**
 * The attribute table of README's "Embed a panel", generated from the state schema
 * (tests/essay/embedDocs.test.ts fails when README's copy is stale and prints this one).
 */
export function attributeTable(): string {
  const rows = ['| attribute | what | values | default |', '| --- | --- | --- | --- |'];
  rows.push('| `panel` | which panel (required) | a panel ID below | |');
  for (const f of STATE_FIELDS) {
    const { spec } = f;
    const values =
      spec.kind === 'enum'
        ? spec.values!.join(', ')
        : spec.kind === 'bool'
          ? 'true, false'
          : `${spec.kind === 'int' ? 'whole number' : 'number'}${Number.isFinite(spec.min) ? ` from ${formatValue(spec.min)}` : ''}${Number.isFinite(spec.max) ? ` to ${formatValue(spec.max)}` : ''}`;
    rows.push(`| \`${f.param}\` | ${f.label} | ${values} | ${formatValue(DEFAULT_STATE.config[f.key])} |`);
  }
  rows.push(`| \`hide\` | controls to leave out | comma-separated: ${CONTROL_NAMES.join(', ')} | none |`);
  rows.push(`| \`autoplay\` | train once on screen | true, false | ${DEFAULT_STATE.autoplay} |`);
  rows.push(`| \`stepaxis\` | step axis | linear, log | ${DEFAULT_STATE.stepAxis} |`);
  for (const c of PANEL_CHOICES) rows.push(`| \`${c.param}\` | ${c.label} (the \`${c.panel}\` panel only) | ${c.values.join(', ')} | ${c.fallback} |`);
  return rows.join('\n');
}
