/** Helpers of the harness tests: fixtures, a quiet reporter, and results read for comparison. */
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { formatCsv, parseCsv, TIMING_COLUMNS } from "../../src/harness/run/csv.ts";
import { plainReporter, type ProgressReporter } from "../../src/harness/run/progress.ts";
import { runExperiments } from "../../src/harness/run/runner.ts";
import type { RunnerSummary, RunOptions } from "../../src/harness/run/run_options.ts";

/** A fixture's path. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Two RL² runs (4 iterations, a checkpoint every iteration) and two UCB1 runs. */
export const TINY = fixture("tiny.jsonc");

/** A reporter that keeps its lines. */
export function quietReporter(): ProgressReporter & { lines: string[] } {
  const lines: string[] = [];
  return { ...plainReporter((line) => lines.push(line), 1), lines };
}

/** Runs experiment files quietly. */
export function runQuietly(
  options: Omit<RunOptions, "reporter"> & { reporter?: ProgressReporter },
): Promise<RunnerSummary> {
  return runExperiments({ reporter: quietReporter(), jobs: 1, ...options });
}

/** CSV text without its timing columns. */
function withoutTiming(text: string): string {
  const { columns, rows } = parseCsv(text);
  const keep = columns.map((c, i) => [c, i] as const).filter(([c]) => !TIMING_COLUMNS.includes(c));
  return formatCsv(keep.map(([c]) => c), rows.map((row) => keep.map(([, i]) => row[i]!)));
}

/** Every CSV under `dir` by relative path, timing columns dropped. */
export async function readCsvs(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const walk = async (d: string) => {
    for await (const entry of Deno.readDir(d)) {
      const path = join(d, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".csv")) {
        found.set(relative(dir, path), withoutTiming(await Deno.readTextFile(path)));
      }
    }
  };
  await walk(dir);
  return new Map([...found].sort(([a], [b]) => a < b ? -1 : 1));
}

/** A temporary folder removed when the test module ends. */
export function moduleTempDir(): string {
  const dir = Deno.makeTempDirSync({ prefix: "rl2lab-harness-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  return dir;
}
