/**
 * How often readouts that change with every record (a step count, a rate, a loss, "step 1,234" in
 * a legend) are written while a run trains: at most every `everyMs`, and at once whenever
 * anything else they show changes (`key`: another width, a curve added, a run ended) or they stop
 * being live. Writing a line of text lays the page out again from its root (the essay's grids do
 * not let a figure be laid out alone), where a frame that only extends the chart's curves is laid
 * out inside its SVG; and a number rewritten twelve times a second cannot be read anyway.
 * Returns whether to write now.
 */
export function readoutPace(everyMs = 250, now: () => number = () => performance.now()): (live: boolean, key: string) => boolean {
  let last = -Infinity;
  let lastKey: string | null = null;
  return (live, key) => {
    const t = now();
    if (live && key === lastKey && t - last < everyMs) return false;
    last = t;
    lastKey = key;
    return true;
  };
}
