/**
 * A run's CSVs as the pages read them: the mean evaluation return per evaluation point, the
 * progress log as numbers, and the adaptation curve per evaluation point. The runner writes these
 * files with numbers only, so they are read line by line without a general CSV parser: nothing
 * per row is kept beyond what the page shows (a parser's arrays of strings take about fifteen
 * times the file's size), and a quoted or torn field is an error naming its row.
 *
 * @module
 */
import { EVAL_COLUMNS } from "../run/csv.ts";

/** File name of a run's adaptation curve: per evaluation, the mean return of each episode. */
export const ADAPTATION_FILE = "adaptation.csv";
/** Columns of {@link ADAPTATION_FILE}. */
export const ADAPTATION_COLUMNS = ["iteration", "episode", "return"] as const;

/**
 * Calls `row` with the numbers of each data row of numeric CSV `text` and its line number, after
 * giving the header's columns to `header`; an empty last line is allowed.
 *
 * @example
 * ```ts
 * import { eachNumericRow } from "./run_csv.ts";
 * const sums: number[] = [];
 * eachNumericRow("a,b\n1,2\n3,4\n", () => {}, (v) => sums.push(v[0]! + v[1]!));
 * if (sums.join() !== "3,7") throw new Error("rows");
 * ```
 */
export function eachNumericRow(
  text: string,
  header: (columns: string[]) => void,
  row: (values: number[], line: number) => void,
): void {
  let start = 0;
  let line = 0;
  while (start < text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    const content = text.slice(start, text[end - 1] === "\r" ? end - 1 : end);
    start = end + 1;
    line++;
    if (line === 1) header(content.split(","));
    else if (content !== "" || newline >= 0) row(content.split(",").map(cellNumber), line);
  }
  if (line === 0) throw new Error("is empty (no header)");
}

/** A cell as a number: NaN unless it is a plain number (no quotes, not blank). */
function cellNumber(cell: string): number {
  return cell.trim() === "" ? NaN : Number(cell);
}

function expectColumns(columns: string[], expected: readonly string[]): void {
  if (columns.join() !== expected.join()) {
    throw new Error(`has columns ${columns.join(",")}; expected ${expected}`);
  }
}

/** Mean return over tasks at each evaluation iteration of `eval.csv` text. */
export function evaluationMeans(text: string): Map<number, number> {
  const sums = new Map<number, [number, number]>();
  eachNumericRow(text, (c) => expectColumns(c, EVAL_COLUMNS), (values, line) => {
    const [iteration, , value] = values;
    if (values.length !== 3 || !values.every(Number.isFinite)) {
      throw new Error(`row ${line} is not a number triple`);
    }
    const s = sums.get(iteration!) ?? [0, 0];
    sums.set(iteration!, [s[0] + value!, s[1] + 1]);
  });
  return new Map([...sums].sort(([a], [b]) => a - b).map(([i, [sum, n]]) => [i, sum / n]));
}

/** The numeric columns of `progress.csv` text, one record per iteration. */
export function progressRecords(text: string): Record<string, number>[] {
  let columns: string[] = [];
  const records: Record<string, number>[] = [];
  eachNumericRow(text, (c) => {
    if (!c.includes("iteration")) throw new Error("has no iteration column");
    columns = c;
  }, (values, line) => {
    if (values.length !== columns.length) throw new Error(`row ${line} is not complete`);
    records.push(Object.fromEntries(columns.map((c, i) => [c, values[i]!])));
  });
  return records;
}

/** Per evaluation iteration of `adaptation.csv` text, the mean return of each episode. */
export function adaptationBlocks(text: string): Map<number, Map<number, number>> {
  const blocks = new Map<number, Map<number, number>>();
  eachNumericRow(text, (c) => expectColumns(c, ADAPTATION_COLUMNS), (values, line) => {
    const [iteration, episode, value] = values;
    if (!Number.isInteger(episode) || !Number.isFinite(value) || !Number.isFinite(iteration)) {
      throw new Error(`row ${line} is not an iteration, an episode and a return`);
    }
    const block = blocks.get(iteration!) ?? new Map<number, number>();
    block.set(episode!, value!);
    blocks.set(iteration!, block);
  });
  return blocks;
}
