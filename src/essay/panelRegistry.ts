import type { PanelEntry } from './panelTypes.ts';
import { mountWidthConvergence } from './figures/widthConvergenceFigure.ts';
import { mountNtk } from './figures/ntkFigure.ts';
import { mountLandscape } from './figures/landscapeFigure.ts';
import { mountSeparation } from './figures/separationFigure.ts';
import { mountDuFigure } from './figures/duReplotFigure.ts';
import { mountGradientBound } from './figures/gradientBoundFigure.ts';
import { mountSemiSmoothness } from './figures/semiSmoothnessFigure.ts';
import { mountLazyBall } from './figures/lazyBallFigure.ts';
import { mountBoundsVsReality } from './figures/boundsVsRealityFigure.ts';
import { mountBallVsDistance } from './figures/ballVsDistanceFigure.ts';
import { mountLinearConvergence } from './figures/linearConvergenceFigure.ts';
import { mountHero } from './figures/heroFigure.ts';
import { mountFit } from './figures/fitFigure.ts';
import { mountCnn } from './figures/cnnFigure.ts';

/**
 * Every panel the essay can show, by the ID its figure root carries (data-panel="ID"). The essay,
 * embed.html and the <wide-enough-panel> element all mount panels through this one table.
 */
export const PANELS: Record<string, PanelEntry> = {
  hero: { title: 'Width and the training loss', mount: mountHero },
  fit: { title: 'Outputs meet their targets', mount: mountFit },
  'width-convergence': { title: 'Wider networks converge', mount: mountWidthConvergence, ownsRunSettings: true },
  landscape: { title: 'The loss surface near the path', mount: mountLandscape },
  ntk: { title: 'The tangent kernel barely moves', mount: mountNtk },
  separation: { title: 'Close inputs slow convergence', mount: mountSeparation },
  'du-figure': { title: "Du et al.'s Figure 1, redrawn", mount: mountDuFigure },
  'gradient-bound': { title: 'The gradient is large while the loss is', mount: mountGradientBound },
  'semi-smoothness': { title: 'A step against the gradient still descends', mount: mountSemiSmoothness },
  'linear-convergence': { title: 'Each step shrinks the loss by the predicted factor', mount: mountLinearConvergence },
  'lazy-ball': { title: 'Wide networks barely move', mount: mountLazyBall },
  'ball-vs-distance': { title: 'The distance shrinks, the ball does not', mount: mountBallVsDistance },
  'bounds-vs-reality': { title: 'The width the theorem asks for, and the width that works', mount: mountBoundsVsReality },
  cnn: { title: 'Convolutional networks converge too', mount: mountCnn },
};

export function panelIds(): string[] {
  return Object.keys(PANELS);
}
