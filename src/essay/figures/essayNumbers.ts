/**
 * Fills the essay's spans that quote a figure's numbers (data-bind="panel.key"). A span is filled
 * either live (by the figure's controller, from the runs on this page) or, until then, from the run
 * recorded at build time (src/essay/recorded/recorded.ts); `data-filled` says which ("live",
 * "recorded"), and a recorded value carries a visible "recorded" marker (style.css) and a title
 * saying what it is. A span with neither still holds the page's placeholder.
 */
export const RECORDED_TITLE =
  'Recorded when this page was built: the same code and settings as the live figure; the live run replaces it when it gets there.';

function spans(key: string): NodeListOf<HTMLElement> {
  return document.querySelectorAll<HTMLElement>(`[data-bind="${key}"]`);
}

/** A live value: replaces the placeholder or the recorded value. null leaves a span as it is. */
export function bind(key: string, text: string | null): void {
  if (text === null) return;
  for (const span of spans(key)) {
    if (span.textContent !== text) span.textContent = text;
    if (span.dataset.filled !== 'live') {
      span.dataset.filled = 'live';
      span.removeAttribute('title');
    }
  }
}

/** Numbers a figure quotes into the essay, by key; null leaves a span as it is. */
export type Binds = Record<string, string | null>;

export function bindAll(binds: Binds): void {
  for (const [key, text] of Object.entries(binds)) bind(key, text);
}

/** Recorded values, for the spans no live value has reached yet. */
export function showRecorded(binds: Readonly<Record<string, string>>): void {
  for (const [key, text] of Object.entries(binds)) {
    for (const span of spans(key)) {
      if (span.dataset.filled === 'live') continue;
      span.textContent = text;
      span.dataset.filled = 'recorded';
      span.title = RECORDED_TITLE;
    }
  }
}
