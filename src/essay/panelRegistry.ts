import type { PanelEntry } from './panelTypes.ts';

/**
 * Every panel the essay can show, by the ID its figure root carries (data-panel="ID"). The essay,
 * embed.html and the <wide-enough-panel> element all mount panels through this one table. Each
 * entry loads its panel's code with a dynamic import of its own, so the bundler splits every panel
 * into a chunk that a page fetches only when it shows that panel (an embed of one panel fetches one).
 */
export const PANELS: Record<string, PanelEntry> = {
  hero: { title: 'Width and the training loss', load: () => import('./figures/heroFigure.ts').then((m) => m.mountHero) },
  fit: { title: 'Outputs meet their targets', load: () => import('./figures/fitFigure.ts').then((m) => m.mountFit) },
  'width-convergence': {
    title: 'Wider networks converge',
    load: () => import('./figures/widthConvergenceFigure.ts').then((m) => m.mountWidthConvergence),
    ownsRunSettings: true,
  },
  landscape: { title: 'The loss surface near the path', load: () => import('./figures/landscapeFigure.ts').then((m) => m.mountLandscape) },
  ntk: { title: 'The tangent kernel barely moves', load: () => import('./figures/ntkFigure.ts').then((m) => m.mountNtk) },
  separation: { title: 'Close inputs slow convergence', load: () => import('./figures/separationFigure.ts').then((m) => m.mountSeparation) },
  'du-figure': { title: "Du et al.'s Figure 1, redrawn", load: () => import('./figures/duReplotFigure.ts').then((m) => m.mountDuFigure) },
  'gradient-bound': { title: 'The gradient is large while the loss is', load: () => import('./figures/gradientBoundFigure.ts').then((m) => m.mountGradientBound) },
  'semi-smoothness': { title: 'A step against the gradient still descends', load: () => import('./figures/semiSmoothnessFigure.ts').then((m) => m.mountSemiSmoothness) },
  'linear-convergence': {
    title: 'Each step shrinks the loss by the predicted factor',
    load: () => import('./figures/linearConvergenceFigure.ts').then((m) => m.mountLinearConvergence),
  },
  'lazy-ball': { title: 'Wide networks barely move', load: () => import('./figures/lazyBallFigure.ts').then((m) => m.mountLazyBall) },
  'ball-vs-distance': { title: 'The distance shrinks, the ball does not', load: () => import('./figures/ballVsDistanceFigure.ts').then((m) => m.mountBallVsDistance) },
  'bounds-vs-reality': {
    title: 'The width the theorem asks for, and the width that works',
    load: () => import('./figures/boundsVsRealityFigure.ts').then((m) => m.mountBoundsVsReality),
  },
  rnn: { title: 'A recurrent network converges too', load: () => import('./figures/rnnFigure.ts').then((m) => m.mountRnn) },
  generalization: { title: 'Test loss as the width grows', load: () => import('./figures/generalizationFigure.ts').then((m) => m.mountGeneralization) },
  'lazy-rich': { title: 'From lazy training to feature learning', load: () => import('./figures/lazyRichFigure.ts').then((m) => m.mountLazyRich) },
  cnn: { title: 'Convolutional networks converge too', load: () => import('./figures/cnnFigure.ts').then((m) => m.mountCnn) },
};

export function panelIds(): string[] {
  return Object.keys(PANELS);
}
