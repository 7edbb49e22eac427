/** Helpers of the serve tests: synthetic results with a run still training, grown on demand. */
import { join } from "node:path";
import { banditExperiment, writeResults } from "../_synthetic.ts";
import { formatCsv, parseCsv } from "../../../src/harness/run/csv.ts";

/** The synthetic experiment: rl2 and trpo trained 10 iterations (evaluated every 2), ucb1. */
export const LIVE_ITERATIONS = 10;

/**
 * Writes the synthetic experiment under `root`, with `rl2/seed-0` still running at iteration
 * `at`; returns the experiment folder.
 */
export async function writeLiveResults(root: string, at: number): Promise<string> {
  const raw = banditExperiment({
    name: "live",
    agents: {
      rl2: {
        kind: "rl2",
        policy: { gru: 4 },
        sampling: { iterations: LIVE_ITERATIONS, batch_timesteps: 30 },
      },
      trpo: {
        kind: "trpo",
        policy: { mlp: [4] },
        sampling: { iterations: LIVE_ITERATIONS, batch_timesteps: 30 },
      },
      ucb1: { kind: "ucb1" },
    },
  });
  const dir = await writeResults(root, raw, {
    score: (run, iteration, task) =>
      (run.agent === "ucb1" ? 2 : 1 + iteration / 5) + task / 10 + run.seed / 20,
    status: (run) => run.id === "rl2/seed-0" ? "running" : "done",
  });
  await truncateRun(join(dir, "rl2", "seed-0"), at);
  return dir;
}

/** Keeps the first `at` iterations of a run's progress.csv and eval.csv (the rest is kept aside). */
async function truncateRun(runDir: string, at: number): Promise<void> {
  for (const file of ["progress.csv", "eval.csv"]) {
    const path = join(runDir, file);
    const { columns, rows } = parseCsv(await Deno.readTextFile(path));
    await Deno.writeTextFile(`${path}.full`, formatCsv(columns, rows));
    await Deno.writeTextFile(path, formatCsv(columns, rows.filter((r) => Number(r[0]) <= at)));
  }
}

/** Grows the running run to iteration `at` (as the worker does: each file rewritten whole). */
export async function growRun(runDir: string, at: number): Promise<void> {
  for (const file of ["progress.csv", "eval.csv"]) {
    const full = parseCsv(await Deno.readTextFile(join(runDir, `${file}.full`)));
    const text = formatCsv(full.columns, full.rows.filter((r) => Number(r[0]) <= at));
    await Deno.writeTextFile(join(runDir, `${file}.tmp`), text);
    await Deno.rename(join(runDir, `${file}.tmp`), join(runDir, file));
  }
}
