// Loads .css imports as empty modules, so the figures' view code (src/viz imports its styles) runs in
// Node for scripts/recordResults.ts: node --import tsx --import ./scripts/cssStub.mjs ...; and vite's
// `?raw` imports (a file's text as the default export) as vite does.
import { register } from 'node:module';

const hook = `export async function load(url, context, next) {
  if (url.endsWith('.css')) return { format: 'module', source: '', shortCircuit: true };
  if (url.startsWith('file:') && url.endsWith('?raw')) {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL(url.slice(0, -4)), 'utf8');
    return { format: 'module', source: 'export default ' + JSON.stringify(text) + ';', shortCircuit: true };
  }
  return next(url, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hook));
