/**
 * Gathering shard outputs into one results tree. Every input is a results root (the `--out`
 * of a shard) or one experiment's folder in it. Runs are copied only when they all agree:
 * finished and complete runs only, each shard once, and within an experiment the same code
 * (commit, dirty flag, `deno.lock`; `--allow-mixed` accepts differences and records them), the
 * same resolved experiment and backend (always) and, for a run already in the output, the same
 * config hash.
 * Everything is checked before anything is written; `merge.json` records what was merged.
 *
 * @module
 */
import { join, relative, resolve } from "node:path";
import { writeFileAtomic } from "./atomic.ts";
import { removeDeadTemps } from "./dead_temps.ts";
import { isRecord } from "../../canonical.ts";
import { jsonDifferences } from "../../experiment/differences.ts";
import { expandRuns } from "../../experiment/expand.ts";
import { validateExperiment } from "../../experiment/rules.ts";
import { readRun } from "./completeness.ts";
import { SymlinkError } from "./nofollow.ts";
import { acquireLock, type FolderLock, LOCK_FILE } from "./lock.ts";
import {
  codeVersion,
  type Manifest,
  MANIFEST_FILE,
  readManifest,
  RESOLVED_FILE,
} from "./manifest.ts";

/** One run folder found in an input. */
interface FoundRun {
  /** `experiment/run id`. */
  key: string;
  id: string;
  dir: string;
  manifest: Manifest;
}

/** One experiment folder found in an input. */
interface FoundExperiment {
  name: string;
  dir: string;
  resolved: string;
  runs: FoundRun[];
}

/** What {@link mergeResults} did. */
export interface MergeSummary {
  /** Experiments written to the output. */
  experiments: string[];
  /** Runs copied. */
  copied: number;
  /** Runs already in the output (from an earlier merge), left as they were. */
  duplicates: number;
}

async function isFile(path: string): Promise<boolean> {
  return await Deno.stat(path).then((s) => s.isFile, () => false);
}

async function findRuns(root: string, dir: string, name: string): Promise<FoundRun[]> {
  const runs: FoundRun[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isDirectory) continue;
    const sub = join(dir, entry.name);
    const manifest = await readManifest(sub);
    if (manifest === undefined) {
      runs.push(...await findRuns(root, sub, name));
    } else {
      const id = relative(root, sub).split(/[\\/]/).join("/");
      runs.push({ key: `${name}/${id}`, id, dir: sub, manifest });
    }
  }
  return runs;
}

async function readExperiment(dir: string, name: string): Promise<FoundExperiment> {
  const resolved = (await Deno.readTextFile(join(dir, RESOLVED_FILE))).trim();
  return { name, dir, resolved, runs: await findRuns(dir, dir, name) };
}

/** The experiment folders of an input: the folder itself, or its subfolders with results. */
async function findExperiments(input: string): Promise<FoundExperiment[]> {
  if (await isFile(join(input, RESOLVED_FILE))) {
    const path = join(input, RESOLVED_FILE);
    let name: unknown;
    try {
      name = JSON.parse(await Deno.readTextFile(path))?.name;
    } catch (e) {
      throw new Error(`${path} is not JSON: ${e instanceof Error ? e.message : e}`);
    }
    if (typeof name !== "string") throw new Error(`${path} names no experiment ("name")`);
    return [await readExperiment(input, name)];
  }
  const found: FoundExperiment[] = [];
  for await (const entry of Deno.readDir(input)) {
    const dir = join(input, entry.name);
    if (entry.isDirectory && await isFile(join(dir, RESOLVED_FILE))) {
      found.push(await readExperiment(dir, entry.name));
    }
  }
  if (found.length === 0) {
    throw new Error(`${input} holds no experiment results (no ${RESOLVED_FILE})`);
  }
  return found;
}

/** The parsed resolved experiment of a found folder (null when it is not JSON). */
function parseJson(found: FoundExperiment): unknown {
  try {
    return JSON.parse(found.resolved);
  } catch {
    return null;
  }
}

/**
 * Fields that always agree within one merge: a result's backend decides its numbers, and the
 * resolved experiment what they are.
 */
const SHARED_FIELDS: readonly [string, (m: Manifest) => unknown][] = [
  ["tfjs.backend", (m) => m.tfjs?.backend],
  // The resolved experiment decides what the runs are: never mixed, even with --allow-mixed.
  ["experiment_hash", (m) => m.experiment_hash],
];

/**
 * Fields that tell which code made a run: shards that differ in them are refused unless
 * `allowMixed` (then the differences are recorded in {@link MERGE_FILE}).
 */
const VERSION_FIELDS: readonly [string, (m: Manifest) => unknown][] = [
  ["git commit", (m) => m.git?.commit ?? "unknown"],
  ["git dirty flag", (m) => m.git?.dirty ?? "unknown"],
  ["lock_hash", (m) => m.lock_hash],
];

/** File in a merged experiment's folder recording what was merged into it. */
export const MERGE_FILE = "merge.json";

/** The contents of {@link MERGE_FILE}. */
export interface MergeRecord {
  /** Every input merged so far, in order. */
  inputs: string[];
  /** The distinct code versions (commit, with " (dirty)" for a changed work tree) of the runs. */
  commits: string[];
  /** True when a merge was told to accept runs of different code versions. */
  allow_mixed: boolean;
  /** The version fields that differ between the merged runs. */
  mixed: string[];
}

function mismatch(field: string, a: FoundRun, va: unknown, b: FoundRun, vb: unknown): string {
  return `cannot merge run ${b.key} from ${b.dir}: its ${field} (${vb}) differs from ` +
    `${a.key === b.key ? "the same run" : `run ${a.key}`} in ${a.dir} (${va})`;
}

/**
 * Problems that forbid merging the runs of one experiment (the first run is the reference),
 * and the version fields in which they differ.
 */
function conflicts(runs: readonly FoundRun[], allowMixed: boolean) {
  const problems: string[] = [];
  const mixed = new Set<string>();
  const first = runs[0];
  const byKey = new Map<string, FoundRun>();
  for (const run of runs) {
    if (run.manifest.status !== "done") {
      problems.push(
        `run ${run.key} in ${run.dir} is not done (status ${run.manifest.status}); ` +
          `finish it with --resume before merging`,
      );
    }
    for (const [field, get] of [...SHARED_FIELDS, ...VERSION_FIELDS]) {
      if (first === undefined || get(run.manifest) === get(first.manifest)) continue;
      const version = VERSION_FIELDS.some(([f]) => f === field);
      if (version) mixed.add(field);
      if (!version || !allowMixed) {
        problems.push(
          mismatch(field, first, get(first.manifest), run, get(run.manifest)) +
            (version ? "; results of different code are not merged unless --allow-mixed" : ""),
        );
      }
    }
    const twin = byKey.get(run.key);
    if (twin !== undefined && twin.manifest.config_hash !== run.manifest.config_hash) {
      problems.push(
        mismatch("config_hash", twin, twin.manifest.config_hash, run, run.manifest.config_hash),
      );
    }
    if (twin === undefined) byKey.set(run.key, run);
  }
  return { problems, mixed: [...mixed] };
}

async function copyRun(run: FoundRun, target: string): Promise<void> {
  await Deno.mkdir(target, { recursive: true });
  const files: string[] = [];
  for await (const entry of Deno.readDir(run.dir)) {
    if (entry.isFile && entry.name !== LOCK_FILE) files.push(entry.name);
  }
  // The manifest last: a folder with a manifest is a complete run.
  files.sort((a, b) => Number(a === MANIFEST_FILE) - Number(b === MANIFEST_FILE));
  for (const file of files) {
    await writeFileAtomic(join(target, file), await Deno.readFile(join(run.dir, file)));
  }
}

/** Options of {@link mergeResults}. */
export interface MergeOptions {
  /** Accept runs made by different code versions (recorded in {@link MERGE_FILE}). */
  allowMixed?: boolean;
}

/** Throws when an input is given twice (under any spelling of its path). */
async function refuseRepeatedInputs(inputs: readonly string[]): Promise<void> {
  const seen = new Map<string, string>();
  for (const input of inputs) {
    const real = await Deno.realPath(input).catch(() => resolve(input));
    const first = seen.get(real);
    if (first !== undefined) {
      throw new Error(`${input} is given twice (also as ${first}); name each shard once`);
    }
    seen.set(real, input);
  }
}

/** Throws when one run is found in two inputs: each shard's runs are its own. */
function refuseRepeatedRuns(sources: readonly FoundExperiment[]): void {
  const where = new Map<string, string>();
  const problems: string[] = [];
  for (const source of sources) {
    for (const run of source.runs) {
      const first = where.get(run.key);
      if (first !== undefined) {
        problems.push(
          `run ${run.key} is in both ${first} and ${source.dir}; the same shard was given ` +
            "twice (name each shard once)",
        );
      } else where.set(run.key, source.dir);
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
}

/** The merge record of `dir`; throws, naming the file, when it is a link or not a record. */
async function readRecord(dir: string): Promise<MergeRecord | undefined> {
  const path = join(dir, MERGE_FILE);
  let text: string;
  try {
    if ((await Deno.lstat(path)).isSymlink) throw new SymlinkError(path);
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} is not JSON (${e instanceof Error ? e.message : e}); ${FIX_RECORD}`);
  }
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
  if (
    !isRecord(data) || !strings(data.inputs) || !strings(data.commits) ||
    typeof data.allow_mixed !== "boolean" || !strings(data.mixed)
  ) {
    throw new Error(
      `${path} is not a merge record (expected inputs, commits, allow_mixed and mixed); ` +
        FIX_RECORD,
    );
  }
  return data as unknown as MergeRecord;
}

const FIX_RECORD = "restore it, or merge the shards again into a new --out";

/**
 * Problems of the finished runs of `sources` that are incomplete or corrupt (see
 * `completeness.ts`), checked against the resolved experiment of `reference`.
 */
async function incompleteRuns(
  reference: FoundExperiment,
  sources: readonly FoundExperiment[],
): Promise<string[]> {
  const file = join(reference.dir, RESOLVED_FILE);
  const check = validateExperiment(parseJson(reference));
  if (check.config === undefined) {
    return [`${file} is not a valid experiment; merge the results of one experiment file`];
  }
  const config = check.config;
  const byId = new Map(expandRuns({ config }).map((run) => [run.id, run]));
  const problems: string[] = [];
  for (const found of sources.flatMap((s) => s.runs)) {
    if (found.manifest.status !== "done") continue;
    const run = byId.get(found.id);
    if (run === undefined) {
      problems.push(`run ${found.key} in ${found.dir} is not a run of ${file}`);
      continue;
    }
    try {
      await readRun(found.dir, run, config);
    } catch (e) {
      problems.push(
        `run ${found.key} in ${found.dir} is incomplete or corrupt: ` +
          `${e instanceof Error ? e.message : e}; finish it with --resume, or leave it out`,
      );
    }
  }
  return problems;
}

/**
 * Merges results folders into `out`. Before writing anything (and then writing nothing, not
 * even an empty folder) it refuses: an input given twice or a run found in two inputs; runs of
 * different code versions (commit, dirty flag, `deno.lock`) unless `allowMixed`; runs of
 * another resolved experiment, or that differ in backend or, for the same run, in config,
 * always; unfinished runs; runs that are incomplete or corrupt (iterations, evaluation points
 * or tasks missing, returns the task cannot give).
 * Runs already in `out` with the same config are left as they are (a merge can be repeated).
 */
export async function mergeResults(
  inputs: readonly string[],
  out: string,
  options: MergeOptions = {},
): Promise<MergeSummary> {
  const allowMixed = options.allowMixed === true;
  await refuseRepeatedInputs(inputs);
  const byName = new Map<string, FoundExperiment[]>();
  for (const input of inputs) {
    for (const found of await findExperiments(input)) {
      byName.set(found.name, [...(byName.get(found.name) ?? []), found]);
    }
  }
  const summary: MergeSummary = { experiments: [], copied: 0, duplicates: 0 };
  const locks: FolderLock[] = [];
  try {
    const problems: string[] = [];
    const writes: (() => Promise<void>)[] = [];
    for (const [name, sources] of byName) {
      refuseRepeatedRuns(sources);
      const target = join(out, name);
      const exists = await isFile(join(target, RESOLVED_FILE));
      if (exists) locks.push(await acquireLock(target));
      // What a killed merge left (its writer has ended): now, and again once the target is held.
      if (exists) await removeDeadTemps(target, true);
      const existing = exists ? [await readExperiment(target, name)] : [];
      const all = [...existing, ...sources];
      const reference = all[0]!;
      const runs = all.flatMap((e) => e.runs);
      const found = conflicts(runs, allowMixed);
      problems.push(...found.problems);
      const differentResolved = all.slice(1).filter((o) => o.resolved !== reference.resolved);
      // --allow-mixed mixes code versions only: runs of another resolved experiment are
      // other runs, never merged.
      for (const other of differentResolved) {
        const where = jsonDifferences(parseJson(reference), parseJson(other)).join("; ");
        problems.push(
          `experiment "${name}" in ${other.dir} differs from the one in ${reference.dir} ` +
            `(${RESOLVED_FILE}: ${where}); only results of one experiment file are merged, ` +
            "even with --allow-mixed",
        );
      }
      problems.push(...await incompleteRuns(reference, sources));
      const inTarget = new Set(existing.flatMap((e) => e.runs.map((r) => r.key)));
      const chosen = new Map<string, FoundRun>();
      for (const run of sources.flatMap((e) => e.runs)) {
        if (inTarget.has(run.key)) summary.duplicates++;
        else chosen.set(run.key, run);
      }
      summary.experiments.push(name);
      writes.push(async () => {
        if (!exists) locks.push(await acquireLock(target));
        await removeDeadTemps(target, true);
        if (existing.length === 0) {
          await writeFileAtomic(join(target, RESOLVED_FILE), reference.resolved + "\n");
        }
        for (const run of chosen.values()) await copyRun(run, join(target, ...run.id.split("/")));
        summary.copied += chosen.size;
        const previous = await readRecord(target);
        const record: MergeRecord = {
          inputs: [...(previous?.inputs ?? []), ...sources.map((s) => s.dir)],
          commits: [...new Set(runs.map((r) => codeVersion(r.manifest)))].sort(),
          allow_mixed: (previous?.allow_mixed ?? false) || allowMixed,
          mixed: [...new Set([...(previous?.mixed ?? []), ...found.mixed])].sort(),
        };
        await writeFileAtomic(join(target, MERGE_FILE), JSON.stringify(record, null, 2) + "\n");
      });
    }
    if (problems.length > 0) throw new Error(problems.join("\n"));
    for (const write of writes) await write();
    return summary;
  } finally {
    for (const lock of locks) await lock.release();
  }
}
