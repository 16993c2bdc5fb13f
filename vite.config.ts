import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { chunkGroups } from './scripts/chunkGroups.ts';
import { katexHtml } from './scripts/vitePluginKatex.ts';
import { slimD3 } from './scripts/vitePluginSlimD3.ts';
import { recordedResults } from './scripts/vitePluginRecorded.ts';
import { travel } from './scripts/vitePluginTravel.ts';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  server: { host: '127.0.0.1' },
  // cors: the embed library and embed.html's modules are fetched by other origins (and by the
  // opaque origin of a sandboxed iframe); a static build serves nothing secret
  preview: { host: '127.0.0.1', cors: true },
  worker: { format: 'es' },
  // the essay's <tex> math, rendered at build time; the figures' recorded results, recorded again when
  // their code changed; the embed library, oEmbed documents and panel pages (travel) in the same build;
  // d3-scale without d3-color and d3-format (slimD3)
  plugins: [katexHtml(), recordedResults(), travel(), slimD3()],
  build: {
    target: 'es2022',
    // every browser with es2022 modules but Safari 16 follows <link rel=modulepreload> itself; there
    // the polyfill would only fetch early what the imports fetch anyway
    modulePreload: { polyfill: false },
    // fonts stay files: a page whose CSP says font-src 'self' refuses data: URLs
    assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf)$/.test(file) ? false : undefined),
    rolldownOptions: {
      // index.html is the essay; bench.html is the training-step benchmark (npm run bench:browser).
      // embed.html is one panel alone, for iframes (?panel=ID&...).
      input: { main: page('index.html'), bench: page('bench.html'), embed: page('embed.html') },
      // fewer, larger files for what every panel needs (scripts/chunkGroups.ts)
      output: { codeSplitting: { groups: chunkGroups(9) } },
    },
  },
});
