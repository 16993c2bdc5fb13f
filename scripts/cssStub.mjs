// Loads .css imports as empty modules, so the figures' view code (src/viz imports its styles) runs in
// Node for scripts/recordResults.ts: node --import tsx --import ./scripts/cssStub.mjs ...
import { register } from 'node:module';

const hook = `export async function load(url, context, next) {
  if (url.endsWith('.css')) return { format: 'module', source: '', shortCircuit: true };
  return next(url, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hook));
