import type { ProbeRequest, ProbeResult } from '../../train/probes.ts';
import type { Run, RunSet, RunSetOptions } from './runSet.ts';

/** A run's part in polling: one question out at a time, and whether the last one was asked. */
export interface PollState {
  asking: boolean;
  finalAsked: boolean;
}

/** Time between one answer and the next question while the run trains. */
const POLL_MS = 120;

/**
 * A figure that watches a probe along one run (the kernel, the outputs): it asks when the run is
 * set up, again after each answer while the run trains, once more when it ends, then lets the
 * worker go. Answers for a run the set has replaced are dropped. Returns the run set's hooks.
 */
export function pollProbe<O extends PollState>(o: {
  set: () => RunSet<O>;
  /** The run to watch; when absent, every run of the set is watched. */
  key?: string;
  request: ProbeRequest;
  take(run: Run<O>, result: ProbeResult): void;
  redraw(): void;
}): Required<Pick<RunSetOptions<O>, 'started' | 'records' | 'done'>> {
  function ask(run: Run<O>, last = false): void {
    const h = run.handle;
    const st = run.own;
    const live = () => o.set().get(o.key ?? run.key)?.handle === h;
    if (!live() || (st.asking && !last)) return;
    st.asking = true;
    h.probe(o.request, (result, done, error) => {
      if (!live()) return;
      if (result) o.take(run, result);
      if (done) {
        st.asking = false;
        if (last || error) {
          if (st.finalAsked) h.cancel(); // the last answer is in: let the worker go
        } else if (h.state === 'running' && !st.finalAsked) setTimeout(() => ask(run), POLL_MS);
      }
      o.redraw();
    });
  }
  return {
    started: (run) => ask(run),
    records: (run) => {
      if (!run.own.asking) ask(run);
    },
    done: (run) => {
      run.own.finalAsked = true;
      ask(run, true);
    },
  };
}
