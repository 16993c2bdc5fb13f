import { interpolation, landscapeExtent, Probe, slice1d, type LandscapeScale } from '../net/landscape.ts';
import { LandscapeGrid } from '../net/landscapeGrid.ts';
import { filterNormalizedPlane, gradientCurvaturePlane, pcaPlane, type Plane } from '../net/landscapePlanes.ts';
import { snapshotActiveMasks, spectralNormOfDifference } from '../net/measures.ts';
import { allocParams, exampleUnits, weightShapes } from '../net/network.ts';
import { kernelSpectrum, tangentKernel } from '../net/ntk.ts';
import { pFlatten, pNorm, pSub, pUnflatten } from '../net/paramVec.ts';
import { Rng } from '../net/rng.ts';
import { flipRaster, KernelResidualPredictor, maxNeuronDistance, TrajectoryRecorder } from './panelData.ts';
import type { Run } from './run.ts';
import { RnnGradientProbe, rnnTargets, type HiddenGradientsResult } from './rnnProbes.ts';

/**
 * Probes: what a panel asks of a run beyond its records (a slice of the loss, a landscape grid,
 * the kernel matrices, which ReLUs flipped). They run in the run's worker between training slices,
 * on a copy of the weights, so training goes on; long ones (grids) come back in installments.
 */
export type PlaneKind = Plane['kind'];

export type ProbeRequest =
  | { kind: 'slice'; sValues: number[] }
  | { kind: 'grid'; plane: PlaneKind; scale: LandscapeScale; resolution: number; atStep?: number }
  | { kind: 'kernel' }
  | { kind: 'flips'; layer: number }
  | { kind: 'interpolation'; alphas: number[] }
  | { kind: 'neurons' }
  | { kind: 'distance' }
  | { kind: 'outputs' }
  | { kind: 'hiddenGradients' };

export type ProbeResult =
  | {
      kind: 'slice';
      step: number;
      s: Float64Array;
      loss: Float64Array;
      firstOrder: Float64Array;
      bound: Float64Array;
      curvatureBound: number;
      loss0: number;
      gradNorm: number;
    }
  | {
      kind: 'grid';
      step: number; // the trajectory point W_t the grid is centered on
      plane: PlaneKind;
      scale: LandscapeScale;
      extent: number;
      axis: Float64Array;
      values: Float64Array; // resolution^2, NaN where not yet computed
      filled: number;
      total: number;
      curvature: number | null; // v^T H v for the gradient-curvature plane
      path: Float64Array | null; // PCA plane: the trajectory's snapshots projected, 2 per point
      pathSteps: Float64Array | null;
      explained: [number, number] | null;
    }
  | {
      kind: 'kernel';
      step: number;
      N: number;
      K0: Float64Array;
      Kt: Float64Array;
      eigenvalues0: Float64Array;
      eigenvaluesT: Float64Array;
      residual: Float64Array; // r_t
      predicted: Float64Array; // (I - eta K_0)^t r_0
    }
  | { kind: 'flips'; step: number; layer: number; n: number; m: number; raster: Uint8Array }
  | { kind: 'interpolation'; step: number; alphas: Float64Array; loss: Float64Array }
  | { kind: 'neurons'; step: number; maxDistance: number; layer: number }
  | {
      kind: 'outputs';
      step: number;
      N: number; // n * dOut
      targets: Float64Array; // y_i, the labels
      outputs: Float64Array; // yhat_i at step t, on a copy of the weights
      outputs0: Float64Array; // yhat_i at initialization
    }
  | HiddenGradientsResult
  | {
      kind: 'distance';
      step: number;
      m: number;
      froPerLayer: number[]; // ||W_l - W_l(0)||_F
      specPerLayer: number[]; // ||W_l - W_l(0)||_2
      initSpecPerLayer: number[]; // ||W_l(0)||_2, the weights' own scale (about 2 sqrt 2 for N(0, 2/m) entries, whatever m)
    };

/** A probe in progress; `advance` works until the deadline and returns a (partial) result. */
export interface ProbeJob {
  readonly done: boolean;
  advance(deadline: number): ProbeResult;
}

function finished(result: () => ProbeResult): ProbeJob {
  let isDone = false;
  return {
    get done() {
      return isDone;
    },
    advance() {
      isDone = true;
      return result();
    },
  };
}

/**
 * Per-run state probes need: the initial weights' ReLU pattern, the kernel's predicted residual,
 * and snapshots of the trajectory. `observe` is called at each record.
 */
export class ProbeHost {
  readonly trajectory: TrajectoryRecorder;
  private readonly initMasks: Uint8Array[];
  private predictor: KernelResidualPredictor | null = null;
  private rnnGradients: RnnGradientProbe | null = null;

  constructor(
    readonly run: Run,
    snapshotCapacity = 48,
  ) {
    if (run.step !== 0) throw new Error('a ProbeHost must be attached before the first update');
    this.trajectory = new TrajectoryRecorder(run.spec, snapshotCapacity);
    run.model.loss(null);
    this.initMasks = snapshotActiveMasks(run.model);
    this.trajectory.offer(0, run.model.params);
  }

  observe(): void {
    this.trajectory.offer(this.run.step, this.run.model.params);
  }

  start(req: ProbeRequest): ProbeJob {
    const { run } = this;
    switch (req.kind) {
      case 'slice':
        return finished(() => {
          const sl = slice1d(new Probe(run.model), req.sValues);
          return { kind: 'slice', step: run.step, ...sl };
        });
      case 'kernel':
        return finished(() => this.kernel());
      case 'flips':
        return finished(() => {
          const layer = Math.min(Math.max(0, Math.floor(req.layer)), run.spec.L);
          run.model.loss(null);
          const raster = flipRaster(run.model, this.initMasks, layer);
          // a row per sample of its units: m (FC), or q m for the CNN (every position's channels)
          return { kind: 'flips', step: run.step, layer, n: run.config.n, m: exampleUnits(run.spec), raster };
        });
      case 'interpolation':
        return finished(() => ({
          kind: 'interpolation',
          step: run.step,
          alphas: Float64Array.from(req.alphas),
          loss: interpolation(new Probe(run.model), run.initial, run.model.params, req.alphas),
        }));
      case 'neurons':
        return finished(() => {
          // the first trained matrix: A for Du et al.'s two-layer net, else W_1
          const layer = run.spec.trainA ? 0 : 1;
          const now = layer === 0 ? run.model.params.A : run.model.params.W[0];
          const init = layer === 0 ? run.initial.A : run.initial.W[0];
          return { kind: 'neurons', step: run.step, layer, maxDistance: maxNeuronDistance(now, init, layer === 0 ? weightShapes(run.spec).A[1] : weightShapes(run.spec).W[1]) };
        });
      case 'distance':
        return finished(() => {
          const { m } = run.spec;
          const [rows, cols] = weightShapes(run.spec).W; // m x m, or m x (s m) for the CNN
          const zero = new Float64Array(rows * cols);
          const W = run.model.params.W;
          const W0 = run.initial.W;
          return {
            kind: 'distance',
            step: run.step,
            m,
            froPerLayer: W.map((w, l) => {
              let s = 0;
              for (let i = 0; i < w.length; i++) s += (w[i] - W0[l][i]) ** 2;
              return Math.sqrt(s);
            }),
            specPerLayer: W.map((w, l) => spectralNormOfDifference(w, W0[l], rows, cols)),
            initSpecPerLayer: W0.map((w) => spectralNormOfDifference(w, zero, rows, cols)),
          };
        });
      case 'outputs':
        return finished(() => this.outputs());
      case 'hiddenGradients':
        return finished(() => (this.rnnGradients ??= new RnnGradientProbe(run)).answer());
      case 'grid':
        return this.grid(req);
    }
  }

  /** The network's output on every training point, now and at initialization, with the targets; on copies of the weights. */
  private outputs(): ProbeResult {
    const { run } = this;
    const N = run.config.n * run.model.outSize;
    // the RNN's dataset holds y_{i,1..T}; its outputs are those of t = 2..T, as the model loads them
    const Y = run.spec.arch === 'rnn' ? rnnTargets(run) : run.data.Y;
    const at = (params: typeof run.initial): Float64Array => {
      const probe = new Probe(run.model, params);
      probe.lossAt(0, null);
      const r = probe.model.residual;
      return Float64Array.from({ length: N }, (_, i) => Y[i] + r[i]);
    };
    return { kind: 'outputs', step: run.step, N, targets: Float64Array.from(Y.subarray(0, N)), outputs: at(run.model.params), outputs0: at(run.initial) };
  }

  private kernel(): ProbeResult {
    const { run } = this;
    const N = run.config.n * run.model.outSize;
    const k0 = run.initialKernel();
    if (!this.predictor) {
      // r_0 from the initial weights
      const probe = new Probe(run.model, run.initial);
      probe.lossAt(0, null);
      this.predictor = new KernelResidualPredictor(k0.K, N, run.lr, probe.model.residual.subarray(0, N));
    }
    const Kt = tangentKernel(run.model);
    run.model.loss(null);
    return {
      kind: 'kernel',
      step: run.step,
      N,
      K0: k0.K,
      Kt,
      eigenvalues0: k0.spectrum.eigenvalues,
      eigenvaluesT: kernelSpectrum(Kt, N).eigenvalues,
      residual: Float64Array.from(run.model.residual.subarray(0, N)),
      predicted: Float64Array.from(this.predictor.advanceTo(run.step)),
    };
  }

  private grid(req: Extract<ProbeRequest, { kind: 'grid' }>): ProbeJob {
    const { run, trajectory } = this;
    const spec = run.spec;
    // Center: the current weights, or the nearest kept snapshot to the asked step.
    let centerStep = run.step;
    let centerParams = run.model.params;
    if (req.atStep !== undefined && req.atStep < run.step) {
      const near = trajectory.nearest(req.atStep);
      if (near) {
        centerStep = near.step;
        centerParams = allocParams(spec, run.model.precision);
        pUnflatten(spec, near.weights, centerParams);
        centerParams.A.set(run.model.params.A); // untrained tensors never move
        centerParams.B.set(run.model.params.B);
      }
    }
    const probe = new Probe(run.model, centerParams);
    const moved = allocParams(spec, run.model.precision);
    pSub(spec, run.model.params, run.initial, moved);
    const extent = landscapeExtent(req.scale, pNorm(spec, moved));
    const rng = new Rng(run.config.initSeed, 'landscape');
    let plane: Plane;
    let path: Float64Array | null = null;
    let pathSteps: Float64Array | null = null;
    let explained: [number, number] | null = null;
    if (req.plane === 'gradient-curvature') plane = gradientCurvaturePlane(probe, rng);
    else if (req.plane === 'random') plane = filterNormalizedPlane(probe, rng);
    else {
      const snaps = [...trajectory.snapshots];
      const steps = [...trajectory.steps];
      if (steps[steps.length - 1] !== run.step) {
        snaps.push(pFlatten(spec, run.model.params));
        steps.push(run.step);
      }
      if (snaps.length < 3) plane = filterNormalizedPlane(probe, rng);
      else {
        const pca = pcaPlane(probe, snaps, pFlatten(spec, probe.center));
        plane = pca;
        path = pca.coords;
        pathSteps = Float64Array.from(steps);
        explained = pca.explained;
      }
    }
    const resolution = Math.max(3, Math.min(65, Math.floor(req.resolution) | 1));
    // PCA: reach the whole path as well as the asked scale
    let reach = extent;
    if (path) for (const c of path) reach = Math.max(reach, Math.abs(c) * 1.1);
    const grid = new LandscapeGrid(probe, plane, reach, resolution);
    const result = (): ProbeResult => ({
      kind: 'grid',
      step: centerStep,
      plane: plane.kind,
      scale: req.scale,
      extent: reach,
      axis: grid.axis,
      values: grid.values.slice(),
      filled: grid.filled,
      total: resolution * resolution,
      curvature: plane.curvature ?? null,
      path,
      pathSteps,
      explained,
    });
    return {
      get done() {
        return grid.done;
      },
      advance(deadline: number) {
        grid.fill(Infinity, deadline);
        return result();
      },
    };
  }
}
