import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { chunkGroups } from './scripts/chunkGroups.ts';
import { slimD3 } from './scripts/vitePluginSlimD3.ts';
import { recordedResults } from './scripts/vitePluginRecorded.ts';

/**
 * The embeddable library: `npm run build` writes it into dist/embed/ after the site (scripts/
 * vitePluginTravel.ts runs this config), `npm run build:embed` alone: wide-enough-panel.js
 * (the <wide-enough-panel> element, an ES module), worker.js (the training worker, wasm
 * embedded) and the chunks they share. Host the folder anywhere; see README "Embed a panel".
 */
const src = (name: string) => fileURLToPath(new URL(name, import.meta.url));

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
  plugins: [noDocumentCss, recordedResults(), slimD3()],
  build: {
    target: 'es2022',
    outDir: 'dist/embed',
    emptyOutDir: true,
    minify: true,
    copyPublicDir: false,
    lib: {
      entry: { 'wide-enough-panel': src('src/essay/embed/embedLibrary.ts'), worker: src('src/train/worker.ts') },
      formats: ['es'],
    },
    rolldownOptions: {
      // library mode leaves ES output unminified (for bundlers); this one is for pages, so minify
      // the panel kit as on the site (scripts/chunkGroups.ts): fewer, larger files
      output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true, codeSplitting: { groups: chunkGroups(13) } },
    },
  },
});
