/** Fills the essay's spans that quote a figure's measured numbers (data-bind="panel.key"). */
export function bind(key: string, text: string | null): void {
  if (text === null) return;
  for (const span of document.querySelectorAll<HTMLElement>(`[data-bind="${key}"]`)) if (span.textContent !== text) span.textContent = text;
}

/** Numbers a figure quotes into the essay, by key; null leaves a span as it is. */
export type Binds = Record<string, string | null>;

export function bindAll(binds: Binds): void {
  for (const [key, text] of Object.entries(binds)) bind(key, text);
}
