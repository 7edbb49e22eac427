/**
 * `deno run --allow-read deploy/slurm/test/same_results.ts A B`: exits 0 when results folders
 * A and B hold the same runs' CSV files with the same contents, timing columns aside, and prints
 * what differs otherwise (the comparison tables `run` and `compare` write beside the runs are
 * derived from them and left out). The Slurm test uses it to hold a cluster's merged results to a plain
 * local run.
 *
 * @module
 */
import { basename } from "node:path";
import { readCsvs } from "../../../tests/harness/_results.ts";
import { COMPARISON_FILES } from "../../../src/harness/report/compare.ts";

/** The runs' CSVs under `dir`, by relative path, timing columns dropped. */
async function runCsvs(dir: string): Promise<Map<string, string>> {
  const all = await readCsvs(dir);
  return new Map([...all].filter(([path]) => basename(path) !== COMPARISON_FILES.csv));
}

/** The relative paths of CSVs that are missing on one side or differ, with the reason. */
export async function differences(a: string, b: string): Promise<string[]> {
  const [left, right] = await Promise.all([runCsvs(a), runCsvs(b)]);
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort();
  return paths.flatMap((path) => {
    const [x, y] = [left.get(path), right.get(path)];
    if (x === undefined) return [`${path}: only in ${b}`];
    if (y === undefined) return [`${path}: only in ${a}`];
    return x === y ? [] : [`${path}: differs`];
  });
}

if (import.meta.main) {
  const [a, b] = Deno.args;
  if (a === undefined || b === undefined) {
    console.error("usage: same_results.ts A B");
    Deno.exit(2);
  }
  const found = await differences(a, b);
  const count = (await runCsvs(a)).size;
  for (const line of found) console.error(line);
  console.log(found.length === 0 ? `same ${count} CSV files` : `${found.length} CSV files differ`);
  Deno.exit(found.length === 0 && count > 0 ? 0 : 1);
}
