import type { ChunkingContext, CodeSplittingGroup } from 'rolldown';

/**
 * How the site build groups modules into files (output.codeSplitting.groups). Left alone, rolldown
 * makes one file per distinct set of panels that share a module, so an embed of one panel fetched
 * 18 files, many under 1 KB gzip: each compressed on its own, with its own request, ~4 KB of the
 * embed's script was that overhead. Two groups, both decided from the import graph (the site's
 * build and the embed library's, vite.embed.config.ts, whose entry is the element itself):
 * - shell: code both the essay (index.html) and a panel page need before any panel runs, i.e. that
 *   index.html's static imports reach and embed.html's (or at least `minPanels` panels') do too.
 *   The essay fetches all of it before first paint already; now as one file.
 * - panel-kit: code only panels use (d3, the figure frame, charts), shared by `minPanels` or more
 *   of them. Code fewer panels share stays in rolldown's own chunks (merging those as well cost
 *   the panels that do not use them more than the fewer files saved, measured with bench:embed),
 *   and every dynamic import (a panel, the download renderer, the training host) stays its own
 *   lazy file.
 */
export function chunkGroups(minPanels: number): CodeSplittingGroup[] {
  // per chunking pass (a watching build chunks again with a new graph); the graph has no cycles
  // (tests/architecture/importGraph.test.ts), so what a module's walk found is its whole answer
  const passes = new WeakMap<ChunkingContext, Map<string, Set<string>>>();
  // the entries (static) and dynamic-import targets that reach a module through static imports
  const rootsOf = (id: string, ctx: ChunkingContext, seen: Set<string>): Set<string> => {
    let roots = passes.get(ctx);
    if (!roots) passes.set(ctx, (roots = new Map()));
    const known = roots.get(id);
    if (known) return known;
    const out = new Set<string>();
    const info = ctx.getModuleInfo(id);
    if (!info || seen.has(id)) return out;
    seen.add(id);
    if (info.isEntry || info.dynamicImporters.length > 0) out.add(id);
    for (const up of info.importers) for (const r of rootsOf(up, ctx, seen)) out.add(r);
    seen.delete(id);
    roots.set(id, out);
    return out;
  };
  const isPanel = (id: string, ctx: ChunkingContext) => (ctx.getModuleInfo(id)?.dynamicImporters ?? []).some((d) => /[\\/]essay[\\/]panelRegistry\.ts$/.test(d));
  const kind = (id: string, ctx: ChunkingContext): 'shell' | 'panel-kit' | null => {
    const info = ctx.getModuleInfo(id);
    if (!info || info.isEntry || info.dynamicImporters.length > 0) return null;
    const from = [...rootsOf(id, ctx, new Set())];
    const essay = from.some((r) => /[\\/]index\.html$/.test(r));
    const embed = from.some((r) => /[\\/]embed\.html$/.test(r));
    const panels = from.filter((r) => isPanel(r, ctx)).length;
    if (essay) return embed || panels >= minPanels ? 'shell' : null;
    // anything an entry loads up front stays with it (the embed library's element, its worker)
    if (embed || from.some((r) => ctx.getModuleInfo(r)?.isEntry)) return null;
    return panels >= minPanels ? 'panel-kit' : null;
  };
  return [
    { debugName: 'shell', name: (id, ctx) => (kind(id, ctx) === 'shell' ? 'shell' : null), priority: 2 },
    { debugName: 'panel-kit', name: (id, ctx) => (kind(id, ctx) === 'panel-kit' ? 'panel-kit' : null), priority: 1 },
  ];
}
