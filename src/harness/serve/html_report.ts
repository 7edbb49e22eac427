/**
 * The experiment page of `deno task serve` as one self-contained HTML file (`deno task report
 * DIR --out FILE.html`): the chart scripts (vega, vega-lite, vega-embed from the locked npm
 * packages), the page's script and its data are inlined, so the file opens offline, in CI
 * artifacts or by mail, and shows what the served page showed when it was written.
 *
 * @module
 */
import { join } from "node:path";
import { RESOLVED_FILE } from "../run/manifest.ts";
import { experimentView } from "./experiment_view.ts";
import { ResultsRoot } from "./files.ts";
import { pageHtml, VENDOR_SCRIPTS, vendorPath, withExperimentSpecs } from "./page.ts";
import { findExperiments } from "./scan.ts";

/**
 * The report of the experiment folder `dir` (holding `experiment.resolved.json`). Its table comes
 * from the folder's `comparison.csv`, or one in `searchRoot` (e.g. `results/`, for the tables
 * `reproduce` writes beside the experiments), or is computed from the finished runs.
 */
export async function htmlReport(dir: string, searchRoot?: string): Promise<string> {
  const root = await ResultsRoot.open(searchRoot ?? dir);
  const experiment = await Deno.realPath(dir);
  try {
    await Deno.stat(join(experiment, RESOLVED_FILE));
  } catch {
    throw new Error(`${dir} is not an experiment's results folder (no ${RESOLVED_FILE})`);
  }
  const { comparisons } = await findExperiments(root);
  const view = await experimentView(root, experiment, comparisons.map((c) => root.relative(c)));
  const scripts = await Promise.all(
    (Object.keys(VENDOR_SCRIPTS) as (keyof typeof VENDOR_SCRIPTS)[]).map((s) =>
      Deno.readTextFile(vendorPath(s))
    ),
  );
  return pageHtml({
    page: "experiment",
    title: `${view.name} · rl2lab report`,
    subtitle: `report of ${view.name}`,
    data: withExperimentSpecs(view),
    scripts,
  });
}
