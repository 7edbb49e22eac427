/**
 * Gathering shard outputs into one results tree. Every input is a results root (the `--out`
 * of a shard) or one experiment's folder in it. Runs are copied only when they all agree:
 * one version of each experiment, finished runs only, and within an experiment the same
 * `deno.lock`, the same tfjs backend and, for a run present twice, the same config hash.
 * Everything is checked before anything is written.
 *
 * @module
 */
import { join, relative } from "node:path";
import { writeFileAtomic } from "./atomic.ts";
import { acquireLock } from "./lock.ts";
import { type Manifest, MANIFEST_FILE, readManifest, RESOLVED_FILE } from "./manifest.ts";

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
  /** Runs found in several inputs (or already in the output) and copied once. */
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
    const name = JSON.parse(await Deno.readTextFile(join(input, RESOLVED_FILE))).name;
    return [await readExperiment(input, String(name))];
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

/** The fields that must agree, by name as in the manifest. */
const SHARED_FIELDS: readonly [string, (m: Manifest) => unknown][] = [
  ["experiment_hash", (m) => m.experiment_hash],
  ["lock_hash", (m) => m.lock_hash],
  ["tfjs.backend", (m) => m.tfjs.backend],
];

function mismatch(field: string, a: FoundRun, va: unknown, b: FoundRun, vb: unknown): string {
  return `cannot merge run ${b.key} from ${b.dir}: its ${field} (${vb}) differs from ` +
    `${a.key === b.key ? "the same run" : `run ${a.key}`} in ${a.dir} (${va})`;
}

/** Problems that forbid merging the runs of one experiment (the first run is the reference). */
function conflicts(runs: readonly FoundRun[]): string[] {
  const problems: string[] = [];
  const first = runs[0];
  const byKey = new Map<string, FoundRun>();
  for (const run of runs) {
    if (run.manifest.status !== "done") {
      problems.push(
        `run ${run.key} in ${run.dir} is not done (status ${run.manifest.status}); ` +
          `finish it with --resume before merging`,
      );
    }
    for (const [field, get] of SHARED_FIELDS) {
      if (first !== undefined && get(run.manifest) !== get(first.manifest)) {
        problems.push(mismatch(field, first, get(first.manifest), run, get(run.manifest)));
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
  return problems;
}

async function copyRun(run: FoundRun, target: string): Promise<void> {
  await Deno.mkdir(target, { recursive: true });
  const files: string[] = [];
  for await (const entry of Deno.readDir(run.dir)) if (entry.isFile) files.push(entry.name);
  // The manifest last: a folder with a manifest is a complete run.
  files.sort((a, b) => Number(a === MANIFEST_FILE) - Number(b === MANIFEST_FILE));
  for (const file of files) {
    await writeFileAtomic(join(target, file), await Deno.readFile(join(run.dir, file)));
  }
}

/**
 * Merges results folders into `out`, refusing (before writing anything) runs that differ in
 * config hash, lock hash or backend, unfinished runs, and different versions of an experiment.
 */
export async function mergeResults(inputs: readonly string[], out: string): Promise<MergeSummary> {
  const byName = new Map<string, FoundExperiment[]>();
  for (const input of inputs) {
    for (const found of await findExperiments(input)) {
      byName.set(found.name, [...(byName.get(found.name) ?? []), found]);
    }
  }
  const summary: MergeSummary = { experiments: [], copied: 0, duplicates: 0 };
  const locks = [];
  try {
    const problems: string[] = [];
    const writes: (() => Promise<void>)[] = [];
    for (const [name, sources] of byName) {
      const target = join(out, name);
      locks.push(await acquireLock(target));
      const existing = await isFile(join(target, RESOLVED_FILE))
        ? [await readExperiment(target, name)]
        : [];
      const all = [...existing, ...sources];
      const reference = all[0]!;
      for (const other of all.slice(1)) {
        if (other.resolved !== reference.resolved) {
          problems.push(
            `experiment "${name}" in ${other.dir} differs from the one in ${reference.dir} ` +
              `(${RESOLVED_FILE}); only results of one experiment file can be merged`,
          );
        }
      }
      const runs = all.flatMap((e) => e.runs);
      problems.push(...conflicts(runs));
      const inTarget = new Set(existing.flatMap((e) => e.runs.map((r) => r.key)));
      const chosen = new Map<string, FoundRun>();
      for (const run of runs) {
        if (inTarget.has(run.key) || chosen.has(run.key)) summary.duplicates++;
        else chosen.set(run.key, run);
      }
      summary.experiments.push(name);
      writes.push(async () => {
        if (existing.length === 0) {
          await writeFileAtomic(join(target, RESOLVED_FILE), reference.resolved + "\n");
        }
        for (const run of chosen.values()) await copyRun(run, join(target, ...run.id.split("/")));
        summary.copied += chosen.size;
      });
    }
    if (problems.length > 0) throw new Error(problems.join("\n"));
    for (const write of writes) await write();
    return summary;
  } finally {
    for (const lock of locks) await lock.release();
  }
}
