import type { RunConfig } from '../train/config.ts';
import { formatValue, type StateField } from '../state/urlState.ts';
import { el } from './panelParts.ts';

/**
 * The figure's less-used controls, one input per state field, inside a disclosure. Inputs carry
 * the schema's ranges (so the browser helps), but the owner validates what arrives: `onChange`
 * gets the raw text and the owner answers with the state to show (repaired values included).
 */
export interface SettingsForm {
  readonly root: HTMLDetailsElement;
  update(config: RunConfig): void;
}

export function createSettingsForm(
  root: HTMLElement,
  idPrefix: string,
  fields: readonly StateField[],
  onChange: (param: string, raw: string) => void,
): SettingsForm {
  const details = el('details', 'settings');
  el('summary', '', details).textContent = 'Settings';
  const grid = el('div', 'settings-grid', details);
  const inputs = new Map<StateField, HTMLInputElement | HTMLSelectElement>();
  let answered: Element | null = null; // the input whose change awaits the owner's answer
  for (const f of fields) {
    const id = `${idPrefix}-${f.param}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = f.label;
    label.title = f.spec.help;
    let input: HTMLInputElement | HTMLSelectElement;
    if (f.spec.kind === 'enum') {
      input = document.createElement('select');
      for (const v of f.spec.values!) {
        const opt = document.createElement('option');
        opt.value = v;
        opt.textContent = v;
        input.append(opt);
      }
    } else {
      input = document.createElement('input');
      input.type = 'number';
      input.inputMode = f.spec.kind === 'int' ? 'numeric' : 'decimal';
      if (f.spec.min !== undefined) input.min = String(f.spec.min);
      if (f.spec.max !== undefined) input.max = String(f.spec.max);
      input.step = f.spec.kind === 'int' ? '1' : 'any';
    }
    input.id = id;
    input.name = f.param;
    input.addEventListener('change', () => {
      answered = input;
      onChange(f.param, input.value);
    });
    el('div', 'setting', grid).append(label, input);
    inputs.set(f, input);
  }
  root.append(details);
  return {
    root: details,
    update(config) {
      for (const [f, input] of inputs) {
        const text = formatValue(config[f.key]);
        // leave a field the reader is typing in alone, unless this is the answer to its change
        if (input.value !== text && (document.activeElement !== input || answered === input)) input.value = text;
      }
      answered = null;
    },
  };
}
