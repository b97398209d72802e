// Where a build's time goes: each stage's wall time, in order, for `seabuild build --timings` and
// the BuildResult. A value passed down like the logger, never a global.
import type { Logger } from './log.ts';

/** One measured stage. */
export interface StageTiming {
  /** e.g. `bundle`, `image: layers`. */
  stage: string;
  durationMs: number;
}

/** Collects stage timings. */
export interface Timings {
  /** Runs `work` and records its wall time under `stage` (also when it fails). */
  time<T>(stage: string, work: () => Promise<T>): Promise<T>;
  /** The stages measured so far, in the order they started. */
  stages(): StageTiming[];
}

/** A recorder that keeps every stage; `logger.progress` shows the stages that run long (on a terminal). */
export function createTimings(logger?: Pick<Logger, 'progress'>): Timings {
  const recorded: StageTiming[] = [];
  return {
    async time(stage, work) {
      const entry = { stage, durationMs: 0 };
      recorded.push(entry);
      const started = performance.now();
      const done = logger?.progress?.(stage);
      try {
        return await work();
      } finally {
        done?.();
        entry.durationMs = performance.now() - started;
      }
    },
    stages: () => recorded.map((entry) => ({ ...entry })),
  };
}

/** A recorder that only runs the work (library callers that do not ask). */
export const untimed: Timings = { time: (_stage, work) => work(), stages: () => [] };
