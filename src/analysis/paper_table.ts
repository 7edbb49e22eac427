/**
 * One of the RL² paper's results tables, laid out as the paper prints it (settings down, methods
 * across) with our numbers beside the paper's: markdown for reading and CSV for machines. Pure:
 * the numbers come in already computed, one {@link CellResult} per setting and agent.
 *
 * A cell reads `ours ± half-width (paper X)`: our mean total reward per trial and the half-width
 * of its confidence interval, then the paper's number; `— (paper X)` when we did not run that
 * agent. Our numbers get two significant digits of the half-width (at least one decimal, at most
 * three); the paper's keep its one decimal. The last columns, the memoryless TRPO baseline and
 * (Table 1) the Bayes-optimal agent, are ours only: the paper has no such columns.
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import type { ExperimentComparison } from "./comparison_types.ts";

/** Our result for one agent in one setting. */
export interface CellResult {
  /** Mean total reward per trial. */
  readonly mean: number;
  /** Lower end of its confidence interval. */
  readonly ciLow: number;
  /** Upper end of its confidence interval. */
  readonly ciHigh: number;
  /** Seeds (runs) behind it. */
  readonly seeds: number;
}

/** A column of a paper table: the agent name used in experiment files and the paper's title. */
export interface PaperColumn {
  /** The agent's name in the experiment files (`ucb1`). */
  readonly agent: string;
  /** The column's title as printed (`UCB1`). */
  readonly title: string;
  /** True for a column the paper does not have. */
  readonly oursOnly?: boolean;
}

/** A paper table's shape: its name, its settings in the paper's order, and its columns. */
export interface PaperLayout {
  /** The name experiment files give in `paper.table`. */
  readonly table: string;
  /** The settings (`paper.row` of the experiment files), top to bottom. */
  readonly rows: readonly string[];
  /** The columns, left to right. */
  readonly columns: readonly PaperColumn[];
}

const RL2: PaperColumn = { agent: "rl2", title: "RL²" };
const MEMORYLESS: PaperColumn = { agent: "trpo", title: "TRPO (memoryless)", oursOnly: true };

/** RL² Table 1: multi-armed bandits, k ∈ {5, 10, 50} arms and n ∈ {10, 100, 500} pulls. */
export const RL2_TABLE1: PaperLayout = {
  table: "RL2 Table 1",
  rows: [10, 100, 500].flatMap((n) => [5, 10, 50].map((k) => `n=${n}, k=${k}`)),
  columns: [
    { agent: "random", title: "Random" },
    { agent: "gittins", title: "Gittins" },
    { agent: "thompson", title: "TS" },
    { agent: "optimistic_thompson", title: "OTS" },
    { agent: "ucb1", title: "UCB1" },
    { agent: "epsilon_greedy", title: "ε-Greedy" },
    { agent: "greedy", title: "Greedy" },
    RL2,
    MEMORYLESS,
    { agent: "bayes_optimal", title: "Bayes-optimal", oursOnly: true },
  ],
};

/** RL² Table 2: random tabular MDPs, n ∈ {10, 25, 50, 75, 100} episodes. */
export const RL2_TABLE2: PaperLayout = {
  table: "RL2 Table 2",
  rows: [10, 25, 50, 75, 100].map((n) => `n=${n}`),
  columns: [
    { agent: "random", title: "Random" },
    { agent: "psrl", title: "PSRL" },
    { agent: "optimistic_psrl", title: "OPSRL" },
    { agent: "ucrl2", title: "UCRL2" },
    { agent: "beb", title: "BEB" },
    { agent: "epsilon_greedy", title: "ε-Greedy" },
    { agent: "greedy", title: "Greedy" },
    RL2,
    MEMORYLESS,
  ],
};

/** Every paper table this module lays out. */
export const PAPER_LAYOUTS: readonly PaperLayout[] = [RL2_TABLE1, RL2_TABLE2];

/**
 * The MAML paper's 2-D navigation returns (Finn et al. 2017, App. C.2, Table 4: "2D Pointmass,
 * average return") before adaptation and after 1, 2 and 3 gradient steps.
 */
export const MAML_PAPER_STAGES = [-40.41, -11.68, -3.33, -3.23] as const;

/** What is known of one setting: our results and the paper's numbers, by agent name. */
export interface PaperRowData {
  /** Our result per agent that was run. */
  readonly results: Readonly<Record<string, CellResult>>;
  /** The paper's number per agent (the experiment file's `paper.values`). */
  readonly paper: Readonly<Record<string, number>>;
}

/**
 * The rows of `layout` from the comparisons of its experiments: one experiment per row (its
 * `paper.row`), our final mean and interval per agent, the paper's numbers from `paper.values`.
 * Throws when an experiment names no paper row, belongs to another table, has ablations (a
 * paper row is one setting), or repeats a row another experiment already filled.
 */
export function paperRows(
  layout: PaperLayout,
  comparisons: readonly ExperimentComparison[],
): Record<string, PaperRowData> {
  const rows: Record<string, PaperRowData> = {};
  const source = new Map<string, string>();
  for (const c of comparisons) {
    const paper = c.config.paper;
    if (paper === undefined || paper.table !== layout.table) {
      throw new Error(
        `experiment ${c.name} is not a row of ${layout.table} (its paper.table is ` +
          `${paper === undefined ? "missing" : `"${paper.table}"`})`,
      );
    }
    const [setting, ...more] = c.settings;
    if (setting === undefined || more.length > 0) {
      throw new Error(
        `experiment ${c.name} has ${c.settings.length} settings; a paper row is exactly one ` +
          "(no ablations)",
      );
    }
    const earlier = source.get(paper.row);
    if (earlier !== undefined) {
      throw new Error(`experiments ${earlier} and ${c.name} are both row "${paper.row}"`);
    }
    source.set(paper.row, c.name);
    const results: Record<string, CellResult> = {};
    for (const { agent, summary } of setting.rows) {
      if (summary.final === undefined) continue;
      const { point, lower, upper } = summary.final;
      results[agent] = { mean: point, ciLow: lower, ciHigh: upper, seeds: summary.seeds.length };
    }
    rows[paper.row] = { results, paper: paper.values };
  }
  return rows;
}

/** A rendered table. */
export interface RenderedTable {
  /** A markdown table and one line explaining its cells. */
  readonly markdown: string;
  /**
   * One line per setting and column: `table, setting, agent, column, mean, ci_low, ci_high,
   * half_width, seeds, paper`, empty where unknown.
   */
  readonly csv: string;
}

/** Columns of {@link RenderedTable.csv}. */
export const PAPER_TABLE_CSV_COLUMNS = [
  "table",
  "setting",
  "agent",
  "column",
  "mean",
  "ci_low",
  "ci_high",
  "half_width",
  "seeds",
  "paper",
] as const;

function halfWidth(cell: CellResult): number {
  return (cell.ciHigh - cell.ciLow) / 2;
}

/** Decimals that show two significant digits of `width`, clamped to [1, 3]. */
function decimalsFor(width: number): number {
  if (!(width > 0)) return 1;
  return Math.min(3, Math.max(1, 1 - Math.floor(Math.log10(width))));
}

/**
 * A cell's text: `ours ± half-width (paper X)`, `ours ± half-width`, `— (paper X)` or `—`.
 *
 * @example
 * ```ts
 * import { formatPaperCell } from "./paper_table.ts";
 * const cell = { mean: 78.04, ciLow: 76.84, ciHigh: 79.24, seeds: 5 };
 * if (formatPaperCell(cell, 78.7) !== "78.0 ± 1.2 (paper 78.7)") throw new Error("cell");
 * ```
 */
export function formatPaperCell(cell: CellResult | undefined, paper: number | undefined): string {
  const paperText = paper === undefined ? "" : ` (paper ${paper.toFixed(1)})`;
  if (cell === undefined) return `—${paperText}`;
  const width = halfWidth(cell);
  const decimals = decimalsFor(width);
  return `${cell.mean.toFixed(decimals)} ± ${width.toFixed(decimals)}${paperText}`;
}

function checkData(layout: PaperLayout, data: Readonly<Record<string, PaperRowData>>): void {
  const agents = layout.columns.map((c) => c.agent);
  for (const [row, { results, paper }] of Object.entries(data)) {
    if (!layout.rows.includes(row)) {
      throw new Error(`"${row}" is not a row of ${layout.table}`);
    }
    for (const agent of [...Object.keys(results), ...Object.keys(paper)]) {
      if (!agents.includes(agent)) {
        throw new Error(`agent "${agent}" of row "${row}" is not a column of ${layout.table}`);
      }
    }
  }
}

/** The sentence naming the columns the paper does not have. */
function oursOnlyText(layout: PaperLayout): string {
  const titles = layout.columns.filter((c) => c.oursOnly === true).map((c) => c.title);
  if (titles.length === 0) return "Every column is the paper's.";
  const list = titles.length === 1
    ? titles[0]
    : `${titles.slice(0, -1).join(", ")} or ${titles.at(-1)}`;
  return `The paper has no ${list} column${titles.length === 1 ? "" : "s"}.`;
}

/** The sentence saying that rows were left out of the markdown, if any were. */
function leftOutText(layout: PaperLayout, ran: readonly string[]): string {
  return ran.length < layout.rows.length ? " Rows we did not run are left out." : "";
}

function seedsText(data: Readonly<Record<string, PaperRowData>>): string {
  const counts = Object.values(data).flatMap((d) => Object.values(d.results).map((c) => c.seeds));
  if (counts.length === 0) return "";
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  const range = low === high ? `${low}` : `${low}–${high}`;
  return ` over ${range} seed${high === 1 ? "" : "s"}`;
}

/**
 * The paper's table with our results, in `layout`'s order: the markdown has every column and the
 * rows where we have at least one result (a row we did not run would hold the paper's numbers
 * only), the CSV every row and column, filled from `data` (keyed by row). `confidence` is the
 * coverage of the intervals, for the explanation under the table. Throws when `data` names a row
 * or an agent that the layout does not have.
 *
 * @example One cell of Table 2
 * ```ts
 * import { renderPaperTable, RL2_TABLE2 } from "./paper_table.ts";
 * const psrl = { mean: 138.2, ciLow: 136.9, ciHigh: 139.5, seeds: 5 };
 * const { markdown } = renderPaperTable(RL2_TABLE2, { "n=10": { results: { psrl }, paper: {} } });
 * if (!markdown.includes("| n=10 | — | 138.2 ± 1.3 |")) throw new Error(markdown);
 * ```
 */
export function renderPaperTable(
  layout: PaperLayout,
  data: Readonly<Record<string, PaperRowData>>,
  confidence = 0.95,
): RenderedTable {
  checkData(layout, data);
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const ran = layout.rows.filter((row) => Object.keys(data[row]?.results ?? {}).length > 0);
  const body = ran.map((row) =>
    line([
      row,
      ...layout.columns.map((c) =>
        formatPaperCell(data[row]?.results[c.agent], data[row]?.paper[c.agent])
      ),
    ])
  );
  const percent = `${Number((confidence * 100).toFixed(6))}%`;
  const markdown = [
    line(["Setup", ...layout.columns.map((c) => c.title)]),
    line(["---", ...layout.columns.map(() => "---:")]),
    ...body,
    "",
    `Each cell: our mean total reward per trial ± the half-width of its ${percent} confidence ` +
    `interval${seedsText(data)}, then the paper's number in parentheses; — where we did not ` +
    `run the agent. ${oursOnlyText(layout)}${leftOutText(layout, ran)}`,
    "",
  ].join("\n");
  const csvRows = layout.rows.flatMap((row) =>
    layout.columns.map((c) => {
      const cell = data[row]?.results[c.agent];
      const paper = data[row]?.paper[c.agent];
      const numbers = cell === undefined
        ? ["", "", "", "", ""]
        : [cell.mean, cell.ciLow, cell.ciHigh, halfWidth(cell), cell.seeds].map(String);
      return [
        layout.table,
        row,
        c.agent,
        c.title,
        ...numbers,
        paper === undefined ? "" : String(paper),
      ];
    })
  );
  return { markdown, csv: stringify([[...PAPER_TABLE_CSV_COLUMNS], ...csvRows]) };
}
