/**
 * Fills the essay's spans that quote a figure's numbers (data-bind="panel.key"). A span is filled
 * either live (by the figure's controller, from the runs on this page) or, until then, from the run
 * recorded at build time, which the build writes into index.html (scripts/recordedHtml.ts);
 * `data-filled` says which ("live", "recorded"). A recorded value is underlined dotted, with a title
 * saying what it is, and its paragraph ends with a note saying what the dotted numbers are
 * (style.css, data-recorded-note) for as long as it holds one. A span with neither still holds the
 * page's placeholder.
 */
export const RECORDED_TITLE =
  'Recorded when this page was built: the same code and settings as the live figure; the live run replaces it when it gets there.';
/** For numbers only the build measures (RecordedPanel.measured): no live run replaces them. */
export const MEASURED_TITLE = 'Recorded when this page was built, by the command the paragraph quotes (the same code); this page does not run it.';

function spans(key: string): NodeListOf<HTMLElement> {
  return document.querySelectorAll<HTMLElement>(`[data-bind="${key}"]`);
}

/** A live value: replaces the placeholder or the recorded value. null leaves a span as it is. */
export function bind(key: string, text: string | null): void {
  if (text === null) return;
  for (const span of spans(key)) {
    if (span.textContent !== text) span.textContent = text;
    if (span.dataset.filled !== 'live') {
      const was = span.dataset.filled;
      span.dataset.filled = 'live';
      span.removeAttribute('title');
      if (was === 'recorded') noteRecorded(span);
    }
  }
}

/**
 * The block around a span that went live says whether it still holds recorded numbers ('build': one
 * of them only the build measures, as scripts/recordedHtml.ts notes it).
 */
function noteRecorded(span: HTMLElement): void {
  const block = span.closest<HTMLElement>('p, li');
  if (!block) return;
  const left = [...block.querySelectorAll<HTMLElement>('[data-filled="recorded"]')];
  if (left.length === 0) delete block.dataset.recordedNote;
  else block.dataset.recordedNote = left.some((s) => s.title === MEASURED_TITLE) ? 'build' : '';
}

/** Numbers a figure quotes into the essay, by key; null leaves a span as it is. */
export type Binds = Record<string, string | null>;

export function bindAll(binds: Binds): void {
  for (const [key, text] of Object.entries(binds)) bind(key, text);
}
