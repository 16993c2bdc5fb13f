import { chosen, PANEL_CHOICES, panelChoice } from '../../state/panelChoices.ts';
import type { PageState } from '../../state/urlState.ts';
import type { PanelOptions } from '../panelTypes.ts';

/** What the panel shows for one of its choices when it mounts: the link's or embed's, else its default. */
export function initialChoice(state: PageState, panel: string, name: string): string {
  return chosen(state.choices, panel, name);
}

/** Records a choice the reader made in the panel's state and reports the state (the page puts it in the URL). */
export function recordChoice(state: PageState, options: PanelOptions, panel: string, name: string, value: string | number): void {
  const c = panelChoice(`${panel}-${name}`);
  if (!c) throw new Error(`no choice ${panel}-${name}`);
  state.choices = { ...state.choices, [c.param]: String(value) };
  options.onState?.({ ...state, config: { ...state.config }, hide: [...state.hide] });
}

/**
 * The page's state after one panel reported its own: the run settings come from the panel that
 * owns them (the width-convergence figure), each panel's choices from that panel.
 */
export function mergePanelState(page: PageState, reported: PageState, panel: string, ownsRunSettings: boolean): PageState {
  const base = ownsRunSettings ? reported : page;
  const choices: Record<string, string> = { ...page.choices };
  for (const c of PANEL_CHOICES) {
    if (c.panel !== panel) continue;
    const v = reported.choices[c.param];
    if (v === undefined) delete choices[c.param];
    else choices[c.param] = v;
  }
  return { ...base, config: { ...base.config }, hide: [...base.hide], choices };
}
