/**
 * The HTML of the pages: a shell that loads vega, vega-lite and vega-embed (served from the
 * locked npm packages, or inlined), the client script, and the page's boot data. The same shell
 * makes the served pages (scripts by URL, data polled) and the self-contained report (scripts and
 * data inlined).
 *
 * @module
 */
import { join } from "node:path";
import { PROJECT_ROOT } from "../../project.ts";
import { CLIENT_JS, POLL_MS, STYLE } from "./client.ts";
import {
  adaptationSpec,
  BAND_HEIGHT,
  chartColors,
  diagnosticsSpec,
  learningCurvesSpec,
} from "./charts.ts";
import { referenceLines, stagePoints } from "./reference_lines.ts";
import { tableColumns } from "./table_layout.ts";
import type { ExperimentView } from "./experiment_view.ts";
import type { RunView } from "./run_view.ts";

/** The browser bundles of the charts, by served name: their files in the npm packages. */
export const VENDOR_SCRIPTS = {
  "vega.js": "vega/build/vega.min.js",
  "vega-lite.js": "vega-lite/build/vega-lite.min.js",
  "vega-embed.js": "vega-embed/build/vega-embed.min.js",
} as const;

/** The absolute path of a vendor script in the project's `node_modules`. */
export function vendorPath(name: keyof typeof VENDOR_SCRIPTS): string {
  return join(PROJECT_ROOT, "node_modules", ...VENDOR_SCRIPTS[name].split("/"));
}

/** Which page a shell is. */
export type PageKind = "index" | "experiment" | "run";

/**
 * The experiment page's data as the client takes it: the view, the table's columns in reading
 * order, the reference lines told apart, the paper's stages on the adaptation chart, and the
 * chart specs, each in the colours of the agents it draws.
 */
export function withExperimentSpecs(view: ExperimentView) {
  const stages = view.paperStages.length > 0 || view.adaptationAxis === "trajectories";
  const references = referenceLines(view.references, view.curves, BAND_HEIGHT);
  const stagePaper = stagePoints(view.paperStages, view.adaptation);
  const drawn = (points: readonly { variant: string }[]) =>
    [
      ...new Set(points.map((p) => p.variant)),
    ].sort();
  const curveColors = chartColors(drawn([...view.curves, ...references]), view.variants);
  const adaptationColors = chartColors(drawn([...view.adaptation, ...stagePaper]), view.variants);
  return {
    ...view,
    ...(view.table !== undefined && { columns: tableColumns(view.table.rows, stages) }),
    references,
    stagePaper,
    specs: {
      curves: learningCurvesSpec(
        view.name,
        curveColors,
        view.curveSource,
        references.map((r) => r.label),
      ),
      adaptation: adaptationSpec(
        view.name,
        adaptationColors,
        view.adaptationAxis,
        stagePaper.length > 0,
      ),
    },
  };
}

/** The run page's data with its chart spec, as the client takes it. */
export function withRunSpecs(view: RunView) {
  const columns = Object.keys(view.progress[0] ?? {});
  return { ...view, specs: { diagnostics: diagnosticsSpec(view.run.path, columns) } };
}

/** JSON safe inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(
    /\u2028|\u2029/g,
    (c) => c === "\u2028" ? "\\u2028" : "\\u2029",
  );
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!,
  );
}

/** What a page shell holds. */
export interface PageOptions {
  /** Which page. */
  page: PageKind;
  /** The title. */
  title: string;
  /** Where the page polls its data (served pages). */
  api?: string;
  /** The page's data, inlined (the report). */
  data?: unknown;
  /** The vendor scripts' text, inlined (the report); else they are loaded from `/static/`. */
  scripts?: string[];
  /** A line under the title, e.g. the results folder. */
  subtitle?: string;
}

/** A page's HTML. */
export function pageHtml(options: PageOptions): string {
  const boot = {
    page: options.page,
    poll: POLL_MS,
    ...(options.api !== undefined && { api: options.api }),
    ...(options.data !== undefined && { data: options.data }),
  };
  const scripts = options.scripts === undefined
    ? [...Object.keys(VENDOR_SCRIPTS), "app.js"].map((s) => `<script src="/static/${s}"></script>`)
    : [...options.scripts, CLIENT_JS].map((s) =>
      `<script>${s.replace(/<\/script/gi, "<\\/script")}</script>`
    );
  const nav = options.api === undefined ? "" : `<a href="/">index</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>rl2lab</h1>${nav}<span class="note">${
    escapeHtml(options.subtitle ?? "")
  }</span><span id="live"></span></header>
<main id="main"></main>
<script type="application/json" id="rl2lab-boot">${scriptJson(boot)}</script>
${scripts.join("\n")}
</body>
</html>
`;
}
