/**
 * Finding what `compare` reads: the experiment folders of its inputs (an experiment's folder, or
 * a results root holding such folders), grouped by experiment, and their resolved experiments.
 *
 * @module
 */
import { join } from "node:path";
import { isRecord } from "../../canonical.ts";
import { jsonDifferences } from "../../experiment/differences.ts";
import { formatPath } from "../../experiment/issues.ts";
import { validateExperiment } from "../../experiment/rules.ts";
import type { ExperimentConfig } from "../../experiment/schema.ts";
import type { ReadText } from "../run/completeness.ts";
import { RESOLVED_FILE } from "../run/manifest.ts";

/** One experiment's folders and resolved file text. */
export interface ExperimentFolders {
  name: string;
  text: string;
  data: unknown;
  dirs: string[];
}

/** An experiment folder found in an input, with its resolved experiment. */
interface FoundFolder {
  dir: string;
  text: string;
  data: unknown;
}

async function readFolder(dir: string, read: ReadText): Promise<FoundFolder | undefined> {
  const file = join(dir, RESOLVED_FILE);
  const text = await read(file);
  if (text === undefined) return undefined;
  try {
    return { dir, text, data: JSON.parse(text) };
  } catch (e) {
    throw new Error(`${file} is not JSON: ${e instanceof Error ? e.message : e}`);
  }
}

/** The experiment folders of one input: the input itself, or its subfolders with results. */
async function experimentFolders(input: string, read: ReadText): Promise<FoundFolder[]> {
  const own = await readFolder(input, read);
  if (own !== undefined) return [own];
  const found: FoundFolder[] = [];
  try {
    for await (const entry of Deno.readDir(input)) {
      const folder = entry.isDirectory
        ? await readFolder(join(input, entry.name), read)
        : undefined;
      if (folder !== undefined) found.push(folder);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(`${input}: no such folder`);
    throw e;
  }
  if (found.length === 0) {
    throw new Error(`${input} holds no experiment results (no ${RESOLVED_FILE})`);
  }
  return found.sort((a, b) => a.dir < b.dir ? -1 : 1);
}

/**
 * The experiment folders of `inputs` grouped by experiment: folders of one experiment (unmerged
 * shards, say) go together when their resolved experiments are identical, and are refused, with
 * where they differ, when not.
 */
export async function groupByExperiment(
  inputs: readonly string[],
  read: ReadText,
): Promise<ExperimentFolders[]> {
  const byName = new Map<string, ExperimentFolders>();
  const problems: string[] = [];
  for (const input of inputs) {
    for (const { dir, text, data } of await experimentFolders(input, read)) {
      const name = isRecord(data) ? String(data.name) : "";
      const seen = byName.get(name);
      if (seen === undefined) {
        byName.set(name, { name, text, data, dirs: [dir] });
      } else if (seen.text.trim() === text.trim()) {
        seen.dirs.push(dir);
      } else {
        const where = jsonDifferences(seen.data, data).join("; ");
        problems.push(
          `cannot compare ${dir} with ${seen.dirs[0]}: both hold experiment "${name}" but ` +
            `their ${RESOLVED_FILE} differ (${where}); compare results of one experiment file`,
        );
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return [...byName.values()].sort((a, b) => a.name < b.name ? -1 : 1);
}

/** The resolved experiment of `folders`, validated; throws naming the file when invalid. */
export function parseConfig(folders: ExperimentFolders): ExperimentConfig {
  const check = validateExperiment(folders.data);
  if (check.config === undefined) {
    const issues = check.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ");
    throw new Error(
      `${join(folders.dirs[0]!, RESOLVED_FILE)} is not a valid experiment: ${issues}`,
    );
  }
  return check.config;
}
