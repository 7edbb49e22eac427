/**
 * Experiment files from disk: reads JSON with comments (with the files they extend), reads keys
 * written under an older name as their new one (`renames.ts`), validates it against the schema
 * and the cross-field rules, and either returns the resolved experiment with its canonical text,
 * its hash and its notices (what was accepted but should be written otherwise), or throws one
 * {@link ExperimentError} listing every problem. Problems and notices alike are lines
 * `FILE:LINE:COL: PATH: message (got VALUE)`. Reads only; never writes.
 *
 * @module
 */
import { findNodeAtLocation, type Node } from "jsonc-parser";
import { dirname, isAbsolute, join } from "node:path";
import { ablationIssues, expandRuns } from "./expand.ts";
import type { ExperimentConfig } from "./schema.ts";
import { canonicalJson, isRecord, sha256Hex } from "../canonical.ts";
import type { SchemaIssue } from "./issues.ts";
import { validateExperiment } from "./rules.ts";
import { EXTENDS_KEY, MAX_EXTENDS_DEPTH, overlay } from "./extends.ts";
import { jsonDifferences } from "./differences.ts";
import { renameKeys, type Renaming } from "./renames.ts";
import { evaluationIssues } from "./support.ts";
import {
  byPlace,
  ExperimentError,
  type ExperimentIssue,
  formatIssue,
  locate,
  parseSource,
  readSource,
  SourceText,
} from "./source.ts";

/** A loaded experiment file. */
export interface Experiment {
  /** The file it was read from, as given. */
  readonly path: string;
  /** The resolved experiment: every default filled in. */
  readonly config: ExperimentConfig;
  /** {@link config} as JSON with sorted keys and no whitespace. */
  readonly canonical: string;
  /** SHA-256 of {@link canonical}, lowercase hex: the identity of the config. */
  readonly hash: string;
  /** The file it extends (its `extends`, resolved against its folder), if any. */
  readonly parent?: string;
  /**
   * What was accepted but should be written otherwise, in this file and the files it extends
   * (each notice names its own file): keys under an older name, read as their new one.
   */
  readonly notices: readonly ExperimentIssue[];
}

/**
 * Longest name, in UTF-8 bytes, of a run's folder below its experiment's (an agent name or an
 * ablation point's label), so that every file the harness names after them (plots
 * `curves-<experiment>-<label>.svg` among them) stays within the 255 bytes file systems allow.
 */
export const MAX_FOLDER_NAME_BYTES = 140;

/** Issues for run folders whose names are too long for a file system. */
function nameIssues(config: ExperimentConfig): SchemaIssue[] {
  const encoder = new TextEncoder();
  const bytes = (text: string) => encoder.encode(text).length;
  const long = new Map<string, SchemaIssue["path"]>();
  for (const name of Object.keys(config.agents)) {
    if (bytes(name) > MAX_FOLDER_NAME_BYTES) long.set(name, ["agents", name]);
  }
  for (const run of expandRuns({ config })) {
    for (const part of run.id.split("/")) {
      if (bytes(part) > MAX_FOLDER_NAME_BYTES && !long.has(part)) long.set(part, ["ablations"]);
    }
  }
  for (const path of Object.keys(config.ablations)) {
    if (bytes(path) > MAX_FOLDER_NAME_BYTES) long.set(path, ["ablations", path]);
  }
  return [...long].map(([part, path]) => ({
    path,
    atKey: path.length === 2,
    message: `"${part.slice(0, 40)}…" would name a run folder or plot of ${bytes(part)} bytes; ` +
      `such names are at most ${MAX_FOLDER_NAME_BYTES} bytes (use shorter agent names, or ` +
      "fewer or shorter ablated values)",
  }));
}

/**
 * A file's data with its parents' laid under it (each file's keys under an older name read as
 * their new one before), or the problems of the chain.
 */
interface Inherited {
  source: SourceText;
  root: Node;
  data: unknown;
  parent?: string;
  /** The renaming of the file's own data: its paths as the file wrote them. */
  renaming: Renaming;
  /** The renamings' notices, of this file and its parents, placed in their files. */
  notices: ExperimentIssue[];
  /** The renamings' issues (a key under both names), of this file and its parents. */
  issues: ExperimentIssue[];
}

/**
 * Reads `path` and, through `extends`, its parents (`chain`: the files that extend it). Each
 * file's old keys are renamed in its own data, before it is laid over its parent's, so that a
 * file overrides its parent's setting whichever name either of them wrote.
 */
async function readInherited(
  path: string,
  chain: readonly string[] = [],
): Promise<Inherited | ExperimentIssue[]> {
  const source = await readSource(path);
  if (!(source instanceof SourceText)) return [source];
  const parsed = parseSource(source);
  if (Array.isArray(parsed)) return parsed;
  const { root } = parsed;
  const renamed = (renaming: Renaming, below?: Inherited) => ({
    renaming,
    notices: [...below?.notices ?? [], ...renaming.notices.map((n) => locate(source, root, n))],
    issues: [...below?.issues ?? [], ...renaming.issues.map((i) => locate(source, root, i))],
  });
  const data = parsed.data;
  if (!isRecord(data) || !(EXTENDS_KEY in data)) {
    const renaming = renameKeys(data);
    return { source, root, data: renaming.data, ...renamed(renaming) };
  }
  const at = findNodeAtLocation(root, [EXTENDS_KEY])!;
  const name = data[EXTENDS_KEY];
  const problem = (message: string) => [source.issue(at.offset, { path: EXTENDS_KEY, message })];
  if (typeof name !== "string" || name === "") {
    return problem("expected the path of the experiment file this one extends");
  }
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c === "\u007f")) {
    return problem("expected a file path; this one holds a control character (such as NUL)");
  }
  if (isAbsolute(name)) {
    return problem(
      "expected a path relative to this file's folder, not an absolute path (so that a file " +
        "and the files it extends move together)",
    );
  }
  const parent = join(dirname(path), name);
  if ([path, ...chain].includes(parent)) return problem(`"${name}" extends this file again`);
  if (chain.length + 1 >= MAX_EXTENDS_DEPTH) {
    return problem(`a file extends at most ${MAX_EXTENDS_DEPTH - 1} parents in a chain`);
  }
  const inherited = await readInherited(parent, [path, ...chain]);
  if (Array.isArray(inherited)) return inherited;
  const renaming = renameKeys(data, inherited.data);
  return {
    source,
    root,
    data: overlay(inherited.data, renaming.data),
    parent,
    ...renamed(renaming, inherited),
  };
}

/** The resolved config of a file's data (its parents' laid under it), or every problem. */
function check(
  { source, root, data, renaming, issues: renamingIssues }: Inherited,
): ExperimentConfig | ExperimentIssue[] {
  const result = validateExperiment(data);
  const place = (issue: SchemaIssue) =>
    locate(source, root, { ...issue, path: renaming.original(issue.path) });
  const issues = [
    ...result.issues,
    ...(isRecord(data) && isRecord(data.agents) && result.task !== undefined
      ? ablationIssues(data.ablations, result.task, result.agents)
      : []),
  ].map(place);
  if (issues.length === 0 && result.config !== undefined) {
    const config = result.config;
    // Every agent at every ablation point, once (not once per seed).
    const agents = expandRuns({ config: { ...config, seeds: config.seeds.slice(0, 1) } })
      .map((run) => ({ name: run.agent, agent: run.agentConfig }));
    issues.push(...[...nameIssues(config), ...evaluationIssues(config, agents)].map(place));
  }
  issues.push(...renamingIssues);
  if (issues.length > 0 || result.config === undefined) return issues.sort(byPlace);
  return result.config;
}

/**
 * Reads and validates an experiment file. Throws an {@link ExperimentError} that lists every
 * problem (unreadable path, syntax, schema, cross-field rules, ablations); needs read
 * permission only.
 *
 * @example Load an experiment and expand it into runs
 * ```ts ignore
 * import { loadExperiment } from "./load.ts";
 * import { expandRuns } from "./expand.ts";
 *
 * const experiment = await loadExperiment("experiments/quick/bandits-k5-n10.jsonc");
 * console.log(experiment.hash, expandRuns(experiment).map((run) => run.id));
 * ```
 */
export async function loadExperiment(path: string): Promise<Experiment> {
  const inherited = await readInherited(path);
  if (Array.isArray(inherited)) throw new ExperimentError(inherited);
  const notices = inherited.notices.toSorted(byPlace);
  const result = check(inherited);
  if (Array.isArray(result)) throw new ExperimentError(result, notices);
  const canonical = canonicalJson(result);
  return {
    path,
    config: result,
    canonical,
    hash: await sha256Hex(canonical),
    ...(inherited.parent !== undefined && { parent: inherited.parent }),
    notices,
  };
}

/**
 * The notices of one JSON file of an experiment as it stands, without the files it extends
 * (an experiment file, or a results folder's `experiment.resolved.json`): its keys under an
 * older name. None when it cannot be read or parsed (its reader reports that).
 */
export async function fileNotices(path: string): Promise<ExperimentIssue[]> {
  const source = await readSource(path);
  if (!(source instanceof SourceText)) return [];
  const parsed = parseSource(source);
  if (Array.isArray(parsed)) return [];
  return renameKeys(parsed.data).notices.map((n) => locate(source, parsed.root, n)).sort(byPlace);
}

/**
 * What `validate --explain` prints of a file: its resolved experiment (every default and
 * inherited field filled in) and, when it extends another file, every field it changes from that
 * file's resolved experiment. Throws an {@link ExperimentError} when either file is invalid.
 */
export async function explainExperiment(path: string): Promise<string> {
  const experiment = await loadExperiment(path);
  const lines = experiment.notices.map(formatIssue);
  lines.push(`${path}: resolved experiment (hash ${experiment.hash})`);
  lines.push(JSON.stringify(JSON.parse(experiment.canonical), null, 2));
  if (experiment.parent === undefined) {
    lines.push(`${path} extends no file`);
  } else {
    const parent = await loadExperiment(experiment.parent);
    const changes = jsonDifferences(parent.config, experiment.config, Infinity);
    lines.push(`${path} changes ${changes.length} fields of ${experiment.parent}:`);
    lines.push(...changes.map((c) => `  ${c}`));
  }
  return lines.join("\n");
}

/** The problems of one file checked by {@link validateFiles} (none when it is valid). */
export interface FileValidation {
  /** The file, as given. */
  readonly path: string;
  /** Its problems; empty when the file is valid. */
  readonly issues: readonly ExperimentIssue[];
  /** What it (or a file it extends) writes under an older name, accepted. */
  readonly notices: readonly ExperimentIssue[];
}

/** Checks experiment files without running anything, one result per path in order. */
export async function validateFiles(paths: readonly string[]): Promise<FileValidation[]> {
  const results: FileValidation[] = [];
  const names = new Map<string, string>();
  for (const path of paths) {
    try {
      const { config, notices } = await loadExperiment(path);
      const other = names.get(config.name);
      names.set(config.name, other ?? path);
      results.push({
        path,
        notices,
        issues: other === undefined ? [] : [{
          file: path,
          path: "name",
          message: `${other} already names an experiment "${config.name}"; experiments run ` +
            "together need different names (their results folders would collide)",
        }],
      });
    } catch (e) {
      if (!(e instanceof ExperimentError)) throw e;
      results.push({ path, issues: e.issues, notices: e.notices });
    }
  }
  return results;
}
