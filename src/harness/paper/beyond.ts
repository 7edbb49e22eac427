/**
 * Rows beyond a session: for fast-protocol rows whose budget does not fit a session, one seed
 * of RL² is trained as far as the session allows (the runner stops it, resumable), and this
 * module turns each such run's curve into a projection: the held-out mean it reached, its rate
 * (a line in log timesteps through the later half of its evaluations, see
 * `analysis/extrapolation.ts`), the timesteps at which that line reaches the paper's number, and
 * the wall time that would take at the run's own measured speed, for one run and for the row's 5
 * seeds. `deno task reference` writes the table into the README.
 *
 * @module
 */
import { join } from "node:path";
import { validateExperiment } from "../../experiment/rules.ts";
import type { ExperimentConfig } from "../../experiment/schema.ts";
import { mean } from "../../analysis/summary.ts";
import { fitLogTimesteps, timestepsToReach } from "../../analysis/extrapolation.ts";
import { readTrainingCurve } from "../report/compare.ts";
import { RESOLVED_FILE } from "../run/manifest.ts";

/** The agent and seed a row's measurement trains. */
export const BEYOND_RUN = { agent: "rl2", seed: 0 } as const;

/** Seeds of a full row, as in the fast files. */
const ROW_SEEDS = 5;

/**
 * Largest projection shown, as a multiple of the timesteps trained: a line that needs more than
 * this to reach the number says the curve has all but levelled off, not how long it would take.
 */
export const MAX_PROJECTION = 100;

/** One measured row. */
export interface BeyondRow {
  /** The paper's row label, e.g. `n=100, k=5`. */
  row: string;
  /** The paper's table, e.g. `RL2 Table 1`. */
  table: string;
  /** The paper's RL² number. */
  paper: number;
  /** Training timesteps done. */
  timesteps: number;
  /** Training seconds spent (evaluations excluded). */
  seconds: number;
  /** The held-out mean at the last evaluation. */
  last: number;
  /** Gain of the fitted line per doubling of timesteps, when there are enough evaluations. */
  perDoubling?: number;
  /** Timesteps at which the fitted line reaches the paper's number, when it rises. */
  needed?: number;
}

async function readConfig(dir: string): Promise<ExperimentConfig> {
  const file = join(dir, RESOLVED_FILE);
  const check = validateExperiment(JSON.parse(await Deno.readTextFile(file)));
  if (check.config === undefined) throw new Error(`${file} is not a valid experiment`);
  return check.config;
}

/** Reads one experiment's results folder and projects its RL² seed-0 curve. */
export async function measureRow(dir: string): Promise<BeyondRow> {
  const config = await readConfig(dir);
  const paper = config.paper?.values[BEYOND_RUN.agent];
  if (config.paper === undefined || paper === undefined) {
    throw new Error(`${dir}: the experiment names no paper number for ${BEYOND_RUN.agent}`);
  }
  const runDir = join(dir, BEYOND_RUN.agent, `seed-${BEYOND_RUN.seed}`);
  const run = await readTrainingCurve(runDir, BEYOND_RUN.seed, config.evaluation.tasks);
  const lastTrained = run.training[run.training.length - 1];
  const lastEvaluation = run.evaluations[run.evaluations.length - 1];
  if (lastTrained === undefined || lastEvaluation === undefined) {
    throw new Error(`${runDir}: no training iterations or evaluations yet`);
  }
  const curve = run.evaluations.map((e) => ({ timesteps: e.timesteps, mean: mean(e.returns) }));
  const fit = fitLogTimesteps(curve);
  const needed = fit === undefined ? undefined : timestepsToReach(fit, paper);
  const seconds = run.evaluations.reduce((s, e) => Math.max(s, e.seconds), 0);
  return {
    row: config.paper.row,
    table: config.paper.table,
    paper,
    timesteps: lastEvaluation.timesteps,
    seconds,
    last: mean(lastEvaluation.returns),
    ...(fit !== undefined && { perDoubling: fit.slope * Math.LN2 }),
    ...(needed !== undefined && { needed }),
  };
}

function millions(timesteps: number): string {
  return `${(timesteps / 1e6).toPrecision(3)} M`;
}

/** A duration in the largest unit that keeps it above 1 (s, min, h, days, years). */
export function formatDuration(seconds: number): string {
  const units: [string, number][] = [
    ["years", 365.25 * 86400],
    ["days", 86400],
    ["h", 3600],
    ["min", 60],
  ];
  for (const [name, size] of units) {
    if (seconds >= size) return `${(seconds / size).toPrecision(3)} ${name}`;
  }
  return `${seconds.toPrecision(3)} s`;
}

/**
 * The markdown table of measured rows: what was trained, the rate, and the projected budget to
 * the paper's number for one run, for the row's 5 seeds on 2 cores and on 5 or more cores (none
 * beyond {@link MAX_PROJECTION} times the timesteps trained).
 */
export function beyondTable(rows: readonly BeyondRow[]): string {
  const head = [
    "| row | trained (timesteps, time) | held-out mean (paper) | gain per doubling | timesteps to the paper's number | one run | 5 seeds, 2 cores | 5 seeds, ≥ 5 cores |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const body = rows.map((r) => {
    const speed = r.seconds / r.timesteps;
    const reached = r.needed !== undefined && r.needed <= r.timesteps;
    const projected = r.needed === undefined
      ? ["no rise to extrapolate", "—", "—", "—"]
      : reached
      ? ["reached", "—", "—", "—"]
      : r.needed > MAX_PROJECTION * r.timesteps
      ? [`over ${MAX_PROJECTION}× the trained timesteps`, "—", "—", "—"]
      : [
        millions(r.needed),
        formatDuration(r.needed * speed),
        formatDuration(r.needed * speed * ROW_SEEDS / 2),
        formatDuration(r.needed * speed),
      ];
    const table = r.table.replace(/^RL2 /, "");
    return `| ${table}, ${r.row} | ${millions(r.timesteps)}, ${formatDuration(r.seconds)} | ` +
      `${r.last.toFixed(1)} (${r.paper}) | ` +
      `${r.perDoubling === undefined ? "—" : r.perDoubling.toFixed(2)} | ${
        projected.join(" | ")
      } |`;
  });
  return [...head, ...body].join("\n");
}

/** Sorts by table, then by the row's numbers (n = 100 before n = 500, k = 5 before k = 10). */
function rowKey(r: BeyondRow): string {
  return `${r.table}/${r.row}`.replace(/\d+/g, (d) => d.padStart(9, "0"));
}

/** Every experiment folder directly under `root`, measured, in table and row order. */
export async function measureRows(root: string): Promise<BeyondRow[]> {
  const rows: BeyondRow[] = [];
  for await (const entry of Deno.readDir(root)) {
    if (entry.isDirectory) rows.push(await measureRow(join(root, entry.name)));
  }
  return rows.sort((a, b) => rowKey(a) < rowKey(b) ? -1 : rowKey(a) > rowKey(b) ? 1 : 0);
}
