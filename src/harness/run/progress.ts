/**
 * Progress of runs: the JSON lines a worker prints on stdout for its runner, and how the runner
 * shows them: one live bar per active run on a terminal (cli-progress), or one plain line every
 * few iterations and per finished run otherwise (CI logs).
 *
 * @module
 */
import { MultiBar } from "cli-progress";
import process from "node:process";

/** What a worker tells its runner, one JSON object per stdout line. */
export type WorkerEvent =
  | { event: "start"; iteration: number; total: number }
  | { event: "iteration"; iteration: number; total: number; timesteps: number; return: number }
  | { event: "evaluation"; iteration: number; mean: number }
  | { event: "tuning"; point: number; total: number; mean: number }
  | { event: "warning"; iteration: number; message: string }
  | { event: "done" }
  /** A one-line notice for the user (e.g. a backend fallback); the runner shows each once. */
  | { event: "note"; text: string };

/** The stdout line of an event. */
export function formatEvent(event: WorkerEvent): string {
  return JSON.stringify(event);
}

/** The event of a stdout line, or undefined for a line that is not one. */
export function parseEvent(line: string): WorkerEvent | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(line);
    return typeof value?.event === "string" ? value as WorkerEvent : undefined;
  } catch {
    return undefined;
  }
}

/** How a run ended, as far as the runner is concerned. */
export type RunOutcome = "done" | "failed" | "interrupted" | "skipped";

/** Shows the progress of runs; `key` names a run (`experiment/run id`). */
export interface ProgressReporter {
  /** A worker reported an event. */
  event(key: string, event: WorkerEvent): void;
  /** A run ended (or was skipped); `detail` says more, e.g. the time taken. */
  finish(key: string, outcome: RunOutcome, detail: string): void;
  /** A message unrelated to one run's progress (shown without breaking the bars). */
  log(message: string): void;
  /** Ends the display. */
  stop(): void;
}

const OUTCOME_MARKS: Record<RunOutcome, string> = {
  done: "done",
  failed: "FAILED",
  interrupted: "interrupted",
  skipped: "skipped",
};

function finishLine(key: string, outcome: RunOutcome, detail: string): string {
  return `${key}: ${OUTCOME_MARKS[outcome]}${detail === "" ? "" : ` (${detail})`}`;
}

/**
 * A return for display: three decimals, or what it is when not finite (JSON carries NaN and
 * ±Infinity as null, so a worker's non-finite number arrives as null).
 */
export function formatReturn(value: number | null | undefined): string {
  if (typeof value !== "number") return "not a number";
  return Number.isFinite(value) ? value.toFixed(3) : String(value);
}

/**
 * Plain lines for logs: one per `every` iterations of a run (and its last), one per
 * evaluation and one per finished run.
 */
export function plainReporter(
  write: (line: string) => void = console.log,
  every = 10,
): ProgressReporter {
  return {
    event(key, e) {
      if (e.event === "start" && e.iteration > 0) {
        write(`${key}: resumed at iteration ${e.iteration}/${e.total}`);
      } else if (
        e.event === "iteration" && (e.iteration % every === 0 || e.iteration === e.total)
      ) {
        write(
          `${key}: iteration ${e.iteration}/${e.total}, ${e.timesteps} timesteps, ` +
            `return ${formatReturn(e.return)}`,
        );
      } else if (e.event === "evaluation") {
        write(
          `${key}: evaluation at iteration ${e.iteration}, mean return ${formatReturn(e.mean)}`,
        );
      } else if (e.event === "tuning") {
        write(
          `${key}: tuning point ${e.point}/${e.total}, mean return ${formatReturn(e.mean)} ` +
            "on the tuning tasks",
        );
      } else if (e.event === "warning") {
        write(`${key}: warning at iteration ${e.iteration}: ${e.message}`);
      }
    },
    finish: (key, outcome, detail) => write(finishLine(key, outcome, detail)),
    log: write,
    stop() {},
  };
}

/**
 * One live line per active run (id, iteration/total, timesteps, latest return, ETA); a classic
 * baseline's line counts the grid points it has scored while it is tuned.
 */
export function terminalReporter(): ProgressReporter {
  const bars = new MultiBar({
    format:
      "{run} [{bar}] {value}/{total} | {timesteps} steps | return {ret} | ETA {eta_formatted}",
    barsize: 20,
    hideCursor: true,
    clearOnComplete: true,
    gracefulExit: false,
    stream: process.stdout,
  });
  const active = new Map<string, ReturnType<MultiBar["create"]>>();
  // The bars buffer logged lines until their next redraw: redraw at once so none is lost.
  const print = (line: string) => {
    bars.log(line + "\n");
    bars.update();
  };
  return {
    event(key, e) {
      if (e.event === "start" && e.total > 0) {
        active.set(key, bars.create(e.total, e.iteration, { run: key, timesteps: 0, ret: "-" }));
      } else if (e.event === "iteration") {
        active.get(key)?.update(e.iteration, {
          timesteps: e.timesteps,
          ret: formatReturn(e.return),
        });
      } else if (e.event === "tuning") {
        const ret = formatReturn(e.mean);
        const bar = active.get(key);
        if (bar === undefined) {
          active.set(
            key,
            bars.create(e.total, e.point, { run: `${key} tuning`, timesteps: 0, ret }),
          );
        } else bar.update(e.point, { ret });
      } else if (e.event === "warning") {
        print(`${key}: warning at iteration ${e.iteration}: ${e.message}`);
      }
    },
    finish(key, outcome, detail) {
      const bar = active.get(key);
      if (bar !== undefined) bars.remove(bar);
      active.delete(key);
      print(finishLine(key, outcome, detail));
    },
    log: print,
    stop() {
      bars.update();
      bars.stop();
    },
  };
}

/** The reporter for this process's stdout: live bars on a terminal, plain lines otherwise. */
export function defaultReporter(): ProgressReporter {
  return Deno.stdout.isTerminal() ? terminalReporter() : plainReporter();
}
