/** Fills the essay's spans that quote a figure's measured numbers (data-bind="panel.key"). */
export function bind(key: string, text: string | null): void {
  if (text === null) return;
  for (const span of document.querySelectorAll<HTMLElement>(`[data-bind="${key}"]`)) if (span.textContent !== text) span.textContent = text;
}
