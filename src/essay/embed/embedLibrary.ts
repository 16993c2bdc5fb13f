import { embedPool } from '../../train/embedPool.ts';
import { defineWideEnoughPanel } from './embedElement.ts';
import { adoptPanelStyles } from './panelStyles.ts';

/**
 * The library build's entry (vite.embed.config.ts): defines <wide-enough-panel>, whose panels train
 * on the library's workers (worker.js beside the module; see embedPool.ts).
 */
defineWideEnoughPanel({ pool: embedPool, styles: adoptPanelStyles });
