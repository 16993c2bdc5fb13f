import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * The embeddable library: `npm run build:embed` writes dist/embed/ with wide-enough-panel.js
 * (the <wide-enough-panel> element, an ES module), worker.js (the training worker, wasm
 * embedded) and the chunks they share. Host the folder anywhere; see README "Embed a panel".
 */
const src = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/** Panels import the essay's worker pool; in the library they get the library's (src/essay/embedPool.ts). */
const libraryPool: Plugin = {
  name: 'wide-enough-library-pool',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (!/\/sharedPool(\.ts)?$/.test(source)) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    if (resolved && resolved.id.replace(/\\/g, '/').endsWith('/src/train/sharedPool.ts')) return src('src/essay/embedPool.ts');
    return null;
  },
};

/** A panel's own `import './x.css'` would reach the document only; panelStyles.ts puts all CSS in the shadow root. */
const noDocumentCss: Plugin = {
  name: 'wide-enough-no-document-css',
  enforce: 'pre',
  resolveId(source) {
    return /\.css$/.test(source) ? '\0wide-enough-empty-css' : null;
  },
  load(id) {
    return id === '\0wide-enough-empty-css' ? 'export {};' : null;
  },
};

export default defineConfig({
  publicDir: false,
  plugins: [libraryPool, noDocumentCss],
  build: {
    target: 'es2022',
    outDir: 'dist/embed',
    emptyOutDir: true,
    minify: true,
    copyPublicDir: false,
    lib: {
      entry: { 'wide-enough-panel': src('src/essay/embedLibrary.ts'), worker: src('src/train/worker.ts') },
      formats: ['es'],
    },
    rolldownOptions: {
      // library mode leaves ES output unminified (for bundlers); this one is for pages, so minify
      output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true },
    },
  },
});
