/**
 * The data of an experiment's page: the comparison table (the rows of a `comparison.csv` that
 * holds the experiment, or the comparison computed from its finished runs as `compare` would
 * write it), the learning curves of every run so far (finished or not: mean over seeds with a
 * bootstrap interval, as `compare` draws them, at every evaluation point), the classic baselines
 * and the paper's numbers as reference lines, and the adaptation curves where runs wrote
 * `adaptation.csv`.
 *
 * @module
 */
import { join } from "node:path";
import { combineCurves } from "../../analysis/curves.ts";
import { CURVE_RESAMPLES } from "../../analysis/comparison_types.ts";
import { agentEpisodeTrajectories } from "../../analysis/comparison.ts";
import { trajectoriesBefore } from "../../analysis/adaptation.ts";
import type { AgentConfig, ExperimentConfig } from "../../experiment/schema.ts";
import { renameKeys } from "../../experiment/renames.ts";
import { Rng } from "../../rng.ts";
import { RESOLVED_FILE, RUN_FILES } from "../run/manifest.ts";
import { dedupeProblems, type FileProblem, problemOf, type ResultsRoot } from "./files.ts";
import { type RunSummary, summarizeExperiment } from "./scan.ts";
import { experimentTable } from "./table_source.ts";
import { ADAPTATION_FILE, adaptationBlocks, evaluationMeans, progressRecords } from "./run_csv.ts";
import { type PaperStages, paperStagesOf } from "./reference_lines.ts";

/** One point of a combined curve, as the charts take it. */
export interface ViewPoint {
  /** The agent at its ablation point (`rl2`, `rl2/gru=64`). */
  variant: string;
  /** The agent. */
  agent: string;
  /** Training iterations (learning curves) or the episode of the trial (adaptation). */
  iteration: number;
  /** Training timesteps (mean over the seeds at that iteration); the episode for adaptation. */
  x: number;
  /** Mean over seeds. */
  mean: number;
  /** Lower end of the 95% interval over seeds. */
  lower: number;
  /** Upper end. */
  upper: number;
  /** Seeds at this point. */
  seeds: number;
}

/** A horizontal reference line: a classic baseline's mean, or the paper's number. */
export interface Reference {
  /** The agent (for its colour). */
  variant: string;
  /** `baseline` (a classic agent's final mean) or `paper`. */
  kind: "baseline" | "paper";
  /** Its value. */
  value: number;
}

/** The comparison table as shown: `comparison.csv` rows of the experiment. */
export interface TableView {
  /** Where the rows come from: a file relative to the results folder, or `computed`. */
  source: string;
  /** A remark, e.g. that the file is older than some runs. */
  note?: string;
  /** The columns of `comparison.csv`. */
  columns: string[];
  /** The rows, as text exactly as in the file. */
  rows: string[][];
}

/** Everything an experiment's page shows. */
export interface ExperimentView {
  /** The experiment's name. */
  name: string;
  /** Its folder relative to the results folder. */
  path: string;
  /** Where the paper reports it. */
  paper?: { table: string; row: string };
  /** What the learning curves show. */
  curveSource: "evaluation" | "training";
  /** Variants in legend order (agents' name order). */
  variants: string[];
  /** The comparison table, when there is one. */
  table?: TableView;
  /** Learning curves of trained variants. */
  curves: ViewPoint[];
  /** Reference lines. */
  references: Reference[];
  /** The paper's returns per adaptation stage, for agents it reports them of. */
  paperStages: PaperStages[];
  /** Adaptation curves at each variant's final common iteration; x on {@link adaptationAxis}. */
  adaptation: ViewPoint[];
  /**
   * The adaptation curves' x: the episode of the trial, or, when some agent's episode stands for
   * K trajectories of the task (MAML's stages), the trajectories spent before it, as `compare`
   * plots them.
   */
  adaptationAxis: "episode" | "trajectories";
  /** The runs. */
  runs: RunSummary[];
  /** Unreadable files. */
  problems: FileProblem[];
}

/** The runs of one variant: learning curves and adaptation blocks. */
interface VariantRuns {
  agent: string;
  curves: RunCurve[];
  blocks: Map<number, Map<number, number>>[];
}

/** A run's curve: iterations, timesteps and values, in iteration order. */
interface RunCurve {
  iterations: number[];
  timesteps: number[];
  values: number[];
}

/** Combines the runs of one variant at every iteration some run reached. */
function combine(variant: string, agent: string, runs: RunCurve[]): ViewPoint[] {
  const curves = runs.filter((r) => r.iterations.length > 0);
  if (curves.length === 0) return [];
  const points = combineCurves(curves.map((c) => ({ x: c.iterations, y: c.values })), {
    rng: Rng.derive(0, `serve/curve/${variant}`),
    resamples: CURVE_RESAMPLES,
    maxPoints: Number.MAX_SAFE_INTEGER,
  });
  return points.map((p) => {
    const steps = curves.flatMap((c) => {
      const i = c.iterations.indexOf(p.x);
      return i < 0 ? [] : [c.timesteps[i]!];
    });
    const x = steps.length === 0 ? p.x : steps.reduce((a, b) => a + b, 0) / steps.length;
    const { mean, lower, upper, seeds } = p;
    return { variant, agent, iteration: p.x, x, mean, lower, upper, seeds };
  });
}

function variantOf(run: RunSummary): string {
  return run.label === "" ? run.agent : `${run.agent}/${run.label}`;
}

/** Reads and parses a file, or records why it cannot and gives undefined. */
type Attempt = <T>(file: string, kind: string, parse: (t: string) => T) => Promise<T | undefined>;

/** A run's curve: at each iteration with a finite value, its timesteps and that value. */
function runCurve(progress: Record<string, number>[], evals?: Map<number, number>): RunCurve {
  const steps = new Map(progress.map((r) => [r.iteration!, r.timesteps ?? NaN]));
  steps.set(0, 0);
  const curve: RunCurve = { iterations: [], timesteps: [], values: [] };
  const source = evals ?? new Map(progress.map((r) => [r.iteration!, r.return_mean ?? NaN]));
  for (const [iteration, value] of source) {
    if (!steps.has(iteration) || !Number.isFinite(value)) continue;
    curve.iterations.push(iteration);
    curve.timesteps.push(steps.get(iteration)!);
    curve.values.push(value);
  }
  return curve;
}

/**
 * The runs' curves and adaptation blocks by variant, and the final evaluation means of the
 * runs without training (classic baselines) by variant.
 */
async function readRuns(
  root: ResultsRoot,
  runs: readonly RunSummary[],
  curveSource: ExperimentView["curveSource"],
  attempt: Attempt,
  problems: FileProblem[],
): Promise<{ byVariant: Map<string, VariantRuns>; classic: Map<string, number[]> }> {
  const byVariant = new Map<string, VariantRuns>();
  const classic = new Map<string, number[]>();
  for (const run of runs) {
    for (const p of run.problems) problems.push(p);
    const runDir = join(root.dir, run.path);
    const variant = variantOf(run);
    const entry = byVariant.get(variant) ?? { agent: run.agent, curves: [], blocks: [] };
    byVariant.set(variant, entry);
    const progress = await attempt(join(runDir, RUN_FILES.progress), "records", progressRecords);
    const evals = curveSource === "evaluation"
      ? await attempt(join(runDir, RUN_FILES.eval), "eval-means", evaluationMeans)
      : undefined;
    const adaptation = await attempt(join(runDir, ADAPTATION_FILE), "adaptation", adaptationBlocks);
    if (adaptation !== undefined) entry.blocks.push(adaptation);
    if (progress !== undefined) entry.curves.push(runCurve(progress, evals));
    else if (evals !== undefined && evals.size > 0) {
      classic.set(variant, [...(classic.get(variant) ?? []), [...evals.values()].at(-1)!]);
    }
  }
  return { byVariant, classic };
}

/**
 * How many trajectories of a task one episode of `agent`'s evaluation trial stands for in a
 * results folder's resolved experiment (not validated); 1 when its task cannot be built.
 */
function episodeTrajectoriesOf(
  agent: AgentConfig,
  experiment: Partial<ExperimentConfig> | undefined,
): number {
  const evaluation = (experiment?.evaluation ?? {}) as ExperimentConfig["evaluation"];
  try {
    return agentEpisodeTrajectories(agent, { task: experiment?.task!, evaluation });
  } catch {
    return 1;
  }
}

/**
 * The page data of the experiment folder `dir`; `comparisons` are the results folder's
 * `comparison.csv` files (relative paths), searched for the experiment's rows after its own.
 */
export async function experimentView(
  root: ResultsRoot,
  dir: string,
  comparisons: readonly string[],
): Promise<ExperimentView> {
  const summary = await summarizeExperiment(root, dir);
  const problems = [...summary.problems];
  const attempt: Attempt = async (file, kind, parse) => {
    try {
      return await root.read(file, kind, parse);
    } catch (e) {
      problems.push(problemOf(root.relative(file), e));
      return undefined;
    }
  };
  const resolved = await attempt(join(dir, RESOLVED_FILE), "json", JSON.parse);
  const paper = resolved?.paper as { table: string; row: string; values?: Record<string, number> };
  const curveSource = (resolved?.evaluation?.every ?? 1) > 0 ? "evaluation" : "training";
  const { byVariant, classic } = await readRuns(root, summary.runs, curveSource, attempt, problems);
  const variants = [...byVariant.keys()].sort();
  const curves = variants.flatMap((v) =>
    combine(v, byVariant.get(v)!.agent, byVariant.get(v)!.curves)
  );
  const references: Reference[] = [...classic].sort().map(([variant, means]) => ({
    variant,
    kind: "baseline" as const,
    value: means.reduce((a, b) => a + b, 0) / means.length,
  }));
  for (const [agent, value] of Object.entries(paper?.values ?? {}).sort()) {
    references.push({ variant: agent, kind: "paper", value });
  }
  // The settings in today's spelling (a folder made before a rename or a move is read as now).
  const current = renameKeys(resolved).data as Partial<ExperimentConfig> | undefined;
  const agents = (current?.agents ?? {}) as Record<string, AgentConfig>;
  const trajectories = new Map(variants.map((v) => {
    const agent = agents[byVariant.get(v)!.agent];
    return [v, agent === undefined ? 1 : episodeTrajectoriesOf(agent, current)];
  }));
  const axis = [...trajectories.values()].some((k) => k !== 1) ? "trajectories" : "episode";
  const adaptation = variants.flatMap((v) =>
    adaptationCurve(v, byVariant.get(v)!, axis === "episode" ? undefined : trajectories.get(v))
  );
  const table = await experimentTable(root, dir, summary, comparisons, problems);
  return {
    name: summary.name,
    path: summary.path,
    ...(paper?.table !== undefined && { paper: { table: paper.table, row: String(paper.row) } }),
    curveSource,
    variants,
    ...(table !== undefined && { table }),
    curves,
    references,
    paperStages: paperStagesOf(resolved),
    adaptation,
    adaptationAxis: axis,
    runs: summary.runs,
    problems: dedupeProblems(problems),
  };
}

/**
 * The adaptation curve of a variant: at the last iteration all its runs have, per episode, or per
 * trajectories spent before the episode when `trajectories` (its K) is given.
 */
function adaptationCurve(variant: string, entry: VariantRuns, trajectories?: number): ViewPoint[] {
  const runs = entry.blocks;
  if (runs.length === 0) return [];
  const shared = [...runs[0]!.keys()].filter((i) => runs.every((r) => r.has(i)));
  const iteration = Math.max(...(shared.length > 0 ? shared : runs.flatMap((r) => [...r.keys()])));
  const seeds = runs.flatMap((r) => {
    const block = r.get(iteration);
    if (block === undefined) return [];
    const episodes = [...block.keys()].sort((a, b) => a - b);
    return [{ x: episodes, y: episodes.map((e) => block.get(e)!) }];
  });
  const points = combineCurves(seeds, {
    rng: Rng.derive(0, `serve/adaptation/${variant}`),
    resamples: CURVE_RESAMPLES,
    maxPoints: Number.MAX_SAFE_INTEGER,
  });
  return points.map((p) => ({
    variant,
    agent: entry.agent,
    iteration,
    x: trajectories === undefined ? p.x : trajectoriesBefore(p.x, trajectories),
    mean: p.mean,
    lower: p.lower,
    upper: p.upper,
    seeds: p.seeds,
  }));
}
