import { sharedPool } from '../train/sharedPool.ts';
import { defineWideEnoughPanel } from './embedElement.ts';

/**
 * The library build's entry (vite.embed.config.ts): defines <wide-enough-panel>. In that build,
 * ../train/sharedPool.ts is ./embedPool.ts: workers from worker.js beside the module.
 */
defineWideEnoughPanel({ pool: sharedPool });
