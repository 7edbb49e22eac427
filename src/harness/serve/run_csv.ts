/**
 * A run's CSVs as the pages read them: the mean evaluation return per evaluation point, the
 * progress log as numbers, and the adaptation curve per evaluation point.
 *
 * @module
 */
import { EVAL_COLUMNS, parseCsv } from "../run/csv.ts";

/** File name of a run's adaptation curve: per evaluation, the mean return of each episode. */
export const ADAPTATION_FILE = "adaptation.csv";
/** Columns of {@link ADAPTATION_FILE}. */
export const ADAPTATION_COLUMNS = ["iteration", "episode", "return"] as const;

/** Mean return over tasks at each evaluation iteration of `eval.csv` text. */
export function evaluationMeans(text: string): Map<number, number> {
  const table = parseCsv(text);
  if (table.columns.join() !== EVAL_COLUMNS.join()) {
    throw new Error(`has columns ${table.columns.join(",")}; expected ${EVAL_COLUMNS}`);
  }
  const sums = new Map<number, [number, number]>();
  table.rows.forEach((row, r) => {
    const [iteration, , value] = row.map(Number);
    if (row.length !== 3 || !Number.isFinite(iteration) || !Number.isFinite(value)) {
      throw new Error(`row ${r + 2} is not a number triple: ${row.join(",")}`);
    }
    const s = sums.get(iteration!) ?? [0, 0];
    sums.set(iteration!, [s[0] + value!, s[1] + 1]);
  });
  return new Map([...sums].sort(([a], [b]) => a - b).map(([i, [sum, n]]) => [i, sum / n]));
}

/** The numeric columns of `progress.csv` text, one record per iteration. */
export function progressRecords(text: string): Record<string, number>[] {
  const table = parseCsv(text);
  if (!table.columns.includes("iteration")) throw new Error("has no iteration column");
  return table.rows.map((row, r) => {
    if (row.length !== table.columns.length) throw new Error(`row ${r + 2} is not complete`);
    return Object.fromEntries(table.columns.map((c, i) => [c, Number(row[i])]));
  });
}

/** Per evaluation iteration of `adaptation.csv` text, the mean return of each episode. */
export function adaptationBlocks(text: string): Map<number, Map<number, number>> {
  const table = parseCsv(text);
  if (table.columns.join() !== ADAPTATION_COLUMNS.join()) {
    throw new Error(`has columns ${table.columns.join(",")}; expected ${ADAPTATION_COLUMNS}`);
  }
  const blocks = new Map<number, Map<number, number>>();
  table.rows.forEach((row, r) => {
    const [iteration, episode, value] = row.map(Number);
    if (!Number.isInteger(episode) || !Number.isFinite(value) || !Number.isFinite(iteration)) {
      throw new Error(`row ${r + 2} is not an iteration, an episode and a return`);
    }
    const block = blocks.get(iteration!) ?? new Map<number, number>();
    block.set(episode!, value!);
    blocks.set(iteration!, block);
  });
  return blocks;
}
