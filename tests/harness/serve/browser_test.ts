/**
 * The served pages in a real browser (headless Chromium over the DevTools protocol, 1400 px
 * wide): the index lists the committed reference experiments, an experiment page's table equals
 * its comparison.csv and reads at that width, the charts draw one mark per evaluation point with
 * legible legends, axes and reference lines, MAML's page shows its stages beside the paper's, a
 * run's log shows rounded numbers, a page of a run that is training follows its progress.csv as
 * it grows, and no page logs an error. Skipped, saying so, when no Chromium is installed (CI
 * installs Debian's `chromium` when it runs as root with apt).
 *
 * RL2LAB_SCREENSHOTS=DIR writes the README's screenshots (the index and an experiment page).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Browser, findChromium } from "./_browser.ts";
import {
  checkCoincidingReferences,
  checkIntegerTicks,
  checkLegend,
  checkMamlStages,
  checkTableColumns,
} from "./_page_checks.ts";
import { growRun, writeLiveResults } from "./_live.ts";
import { ResultsRoot } from "../../../src/harness/serve/files.ts";
import { serveResults } from "../../../src/harness/serve/server.ts";
import { parseCsv } from "../../../src/harness/run/csv.ts";
import { DIAGNOSTICS } from "../../../src/harness/serve/charts.ts";
import { htmlReport } from "../../../src/harness/serve/html_report.ts";
import { PROJECT_ROOT } from "../../../src/project.ts";

const chromium = findChromium();
if (chromium === undefined) {
  console.log(
    "browser tests: SKIPPED, no chromium executable (install Debian's chromium or set CHROMIUM_PATH)",
  );
}

const REFERENCE = join(PROJECT_ROOT, "results");
/** An experiment whose table `reproduce` wrote in another folder, with baselines and the paper. */
const BANDITS = "reference/paper-quick-table1-n10-k5";
const BANDITS_TABLE = "reference/reproduce-table1-quick/comparison.csv";
/** MAML's experiment: agents evaluated by adaptation stages, and the paper's Table 4. */
const MAML = "reference/maml/maml-navigation";
/** The columns read first, visible without scrolling at the test's width. */
const FIRST_COLUMNS = [
  "seeds",
  "final_mean",
  "paper",
  "difference vs trpo",
  "probability_of_improvement vs trpo",
];
/** The page's width in the test: a laptop's. */
const WIDTH = 1400;
/** Everything drawn: the experiment page's table and both charts. */
const DRAWN = `document.querySelector("#comparison-table") &&
  document.querySelector("#curves[data-rendered]") && document.querySelector("#adaptation[data-rendered]")`;

async function served(dir: string) {
  const root = await ResultsRoot.open(dir);
  const controller = new AbortController();
  let url = "";
  const server = serveResults(root, {
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen: ({ port }) => url = `http://127.0.0.1:${port}`,
  });
  return { url, close: async () => (controller.abort(), await server.finished) };
}

/** Distinct evaluation iterations of each trained agent's runs (from eval.csv). */
async function evaluationPoints(dir: string): Promise<number> {
  let total = 0;
  for await (const agent of Deno.readDir(dir)) {
    if (!agent.isDirectory) continue;
    const iterations = new Set<string>();
    let trained = false;
    for await (const seed of Deno.readDir(join(dir, agent.name))) {
      const run = join(dir, agent.name, seed.name);
      trained ||= await Deno.stat(join(run, "progress.csv")).then(() => true, () => false);
      const table = parseCsv(await Deno.readTextFile(join(run, "eval.csv")));
      for (const row of table.rows) iterations.add(row[0]!);
    }
    if (trained) total += iterations.size;
  }
  return total;
}

const tableRows = `[...document.querySelectorAll("#comparison-table tbody tr")].flatMap((tr) =>
  [...tr.querySelectorAll("td[data-statistic]")].map((td) => [tr.dataset.experiment, tr.dataset.setting,
    tr.dataset.agent, td.dataset.statistic, td.dataset.versus, td.dataset.value, td.dataset.lower,
    td.dataset.upper].join(",")))`;

const marks = (chart: string) =>
  `document.querySelectorAll("#${chart} svg .mark-symbol.role-mark path").length`;

Deno.test({
  name: "browser: index, experiment page, live run page, no console errors",
  ignore: chromium === undefined,
  sanitizeResources: true,
  sanitizeOps: true,
  async fn(t) {
    const live = await Deno.makeTempDir({ prefix: "rl2lab-serve-" });
    const experiment = await writeLiveResults(live, 3);
    const reference = await served(REFERENCE);
    const growing = await served(live);
    const browser = await Browser.launch(chromium!, WIDTH);
    const shots = Deno.env.get("RL2LAB_SCREENSHOTS");
    try {
      await t.step("the index lists the committed reference experiments", async () => {
        await browser.goto(`${reference.url}/`);
        const names = await browser.waitFor<string[]>(
          `(() => { const s = [...document.querySelectorAll("tr.experiment")].map((e) => e.dataset.experiment); return s.length ? s : null; })()`,
          30_000,
        );
        for (
          const name of ["paper-quick-table1-n10-k5", "cartpole-randomized", "mdp-n10-learning"]
        ) {
          assert(names.includes(name), `${name} not in ${names}`);
        }
        if (shots) await browser.screenshot(join(shots, "serve-index.png"), 1000);
      });

      await t.step(
        "an experiment page: its table equals comparison.csv, one mark per evaluation point",
        async () => {
          await browser.goto(`${reference.url}/experiment/${BANDITS}`);
          await browser.waitFor(`${DRAWN} && ${marks("curves")} > 0`, 30_000);
          const shown = await browser.evaluate<string[]>(tableRows);
          const csv = parseCsv(await Deno.readTextFile(join(REFERENCE, BANDITS_TABLE)));
          const expected = csv.rows.filter((r) => r[0] === "paper-quick-table1-n10-k5").map((r) =>
            r.join(",")
          );
          assert.deepEqual([...shown].sort(), [...expected].sort());
          assert.deepEqual(
            await browser.evaluate(marks("curves")),
            await evaluationPoints(join(REFERENCE, BANDITS)),
          );
          // Classic baselines and the paper's numbers as reference lines.
          assert(
            await browser.evaluate<number>(
              `document.querySelectorAll("#curves svg .mark-rule line").length`,
            ) >= 7,
          );
          if (shots) await browser.screenshot(join(shots, "serve-experiment.png"), 1300);
        },
      );

      await t.step("the experiment page reads: named columns, the first ones in view", async () => {
        await checkTableColumns(browser, FIRST_COLUMNS);
      });

      await t.step(
        "its charts: opaque legends of the agents drawn, whole episodes, references apart",
        async () => {
          const agents = await browser.evaluate<string[]>(
            `[...new Set([...document.querySelectorAll("#comparison-table tbody tr")].map((tr) => tr.dataset.agent))].sort()`,
          );
          await checkLegend(browser, "curves", agents);
          // Only the Bayes-optimal agent recorded an adaptation curve here.
          await checkLegend(browser, "adaptation", ["bayes_optimal"]);
          await checkIntegerTicks(browser);
          await checkCoincidingReferences(browser, "gittins", "ucb1");
        },
      );

      await t.step("MAML's page: each stage's mean beside the paper's Table 4", async () => {
        await browser.goto(`${reference.url}/experiment/${MAML}`);
        await browser.waitFor(DRAWN, 30_000);
        await checkTableColumns(browser, [
          "seeds",
          ...[1, 2, 3, 4].map((k) => `episode_${k}_reward`),
        ]);
        await checkMamlStages(
          browser,
          await Deno.readTextFile(join(REFERENCE, MAML, "comparison.csv")),
        );
        await checkIntegerTicks(browser);
      });

      await t.step("a run's log shows rounded numbers", async () => {
        await browser.goto(`${reference.url}/run/${BANDITS}/rl2/seed-0`);
        const log = await browser.waitFor<string>(
          `document.querySelector("#log-text")?.textContent`,
        );
        const raw = await Deno.readTextFile(join(REFERENCE, BANDITS, "rl2/seed-0/log.txt"));
        assert.match(raw, /return 5\.021999999999971,/);
        assert.match(log, /return 5\.022,/);
        assert.doesNotMatch(log, /\d\.\d{7,}/);
      });

      await t.step(
        "a run that is training: its page follows progress.csv as it grows",
        async () => {
          const runDir = join(experiment, "rl2", "seed-0");
          // The shared diagnostics and RL²'s own two, its line search's: a point per iteration.
          const charts = DIAGNOSTICS.length + 2;
          await browser.goto(`${growing.url}/run/live/rl2/seed-0`);
          await browser.waitFor(
            `document.querySelector(".run-iteration")?.textContent === "3 / 10"`,
          );
          await browser.waitFor(`${marks("diagnostics")} === ${charts} * 3`);
          await growRun(runDir, 5);
          const started = Date.now();
          await browser.waitFor(
            `document.querySelector(".run-iteration")?.textContent === "5 / 10"`,
            8000,
          );
          await browser.waitFor(`${marks("diagnostics")} === ${charts} * 5`, 8000);
          assert(Date.now() - started < 8000);
        },
      );

      await t.step("an experiment page of a training run follows its new evaluations", async () => {
        const runDir = join(experiment, "rl2", "seed-0");
        const seedsAt10 = `window.rl2labCharts?.curves?.view?.data("curves")
          .find((d) => d.variant === "rl2" && d.iteration === 10)?.seeds`;
        await browser.goto(`${growing.url}/experiment/live`);
        assert.equal(await browser.waitFor(seedsAt10), 2);
        await growRun(runDir, 10);
        await browser.waitFor(`${seedsAt10} === 3`, 8000);
        await browser.waitFor(
          `document.querySelector('tr[data-run="rl2/seed-0"] .run-iteration')?.textContent === "10 / 10"`,
        );
        assert.deepEqual(
          await browser.evaluate(marks("curves")),
          await evaluationPoints(experiment),
        );
      });

      await t.step("the self-contained report draws the same page from a file", async () => {
        const file = join(live, "report.html");
        await Deno.writeTextFile(file, await htmlReport(join(REFERENCE, BANDITS), REFERENCE));
        await browser.goto(`file://${file}`);
        await browser.waitFor(`${DRAWN} && ${marks("curves")} > 0`);
        await checkTableColumns(browser, FIRST_COLUMNS);
        await checkCoincidingReferences(browser, "gittins", "ucb1");
        assert.deepEqual(
          await browser.evaluate(marks("curves")),
          await evaluationPoints(join(REFERENCE, BANDITS)),
        );
      });

      await t.step("no console errors", () => {
        assert.deepEqual(browser.errors, []);
      });
    } finally {
      await browser.close();
      await reference.close();
      await growing.close();
      await Deno.remove(live, { recursive: true });
    }
  },
});
