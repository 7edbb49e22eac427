/**
 * The `report` subcommand: `report DIR --out FILE.html` writes the experiment page of DIR as one
 * self-contained HTML file ({@link ./html.ts}).
 *
 * @module
 */
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../../usage_error.ts";
import { writeFileAtomic } from "../run/atomic.ts";
import { writeProblem } from "../run/writable.ts";
import { htmlReport } from "./html_report.ts";

/** The command line of `report`. */
export const REPORT_USAGE = "report DIR --out FILE.html";
/** What `report` does, in one line. */
export const REPORT_SUMMARY =
  "an experiment's page (table, interactive curves, runs) as one self-contained HTML file";

/** The folder whose `comparison.csv` files a report searches: `results/` when DIR is below it. */
function searchRootOf(dir: string): string {
  const results = resolve("results");
  const rel = relative(results, resolve(dir));
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? results : dir;
}

/** Runs `report` with the arguments after its name; returns the exit code. */
export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: "string" } },
  });
  if (positionals.length !== 1) throw new UsageError("name one experiment's results folder");
  if (values.out === undefined || !values.out.endsWith(".html")) {
    throw new UsageError("--out FILE.html is required");
  }
  const problem = await writeProblem(dirname(values.out));
  if (problem !== undefined) {
    throw new UsageError(
      `--out ${values.out}: ${problem}; deno task report writes under results/ only`,
    );
  }
  const dir = positionals[0]!;
  const html = await htmlReport(dir, searchRootOf(dir));
  await Deno.mkdir(dirname(values.out), { recursive: true });
  await writeFileAtomic(values.out, html);
  console.log(`wrote ${values.out} (${Math.round(html.length / 1024)} KiB, self-contained)`);
  return 0;
}
