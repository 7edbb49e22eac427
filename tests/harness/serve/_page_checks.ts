/**
 * What the browser test checks of an experiment page's legibility, on the DOM and the charts'
 * SVG: the comparison table's headers and the columns visible at the browser's width, the
 * legends, the episode axis, the reference lines told apart, and MAML's stages with the paper's.
 */
import assert from "node:assert/strict";
import type { Browser } from "./_browser.ts";
import { episodeRewards } from "../../../src/harness/paper/maml_reference.ts";
import { MAML_PAPER_STAGES } from "../../../src/analysis/paper_table.ts";
import { formatInterval } from "../../../src/harness/report/report.ts";

/** A header of the comparison table as the browser lays it out. */
interface Header {
  key: string;
  label: string;
  title: string;
  shown: boolean;
  right: number;
}

const HEADERS =
  `[...document.querySelectorAll("#comparison-table thead th[data-key]")].map((th) => ({
  key: th.dataset.key, label: th.textContent, title: th.title,
  shown: getComputedStyle(th).display !== "none", right: th.getBoundingClientRect().right }))`;

/**
 * The table's headers are readable names with the CSV name on hover; `first` are shown within
 * the page's width without scrolling, the others only after "more columns", then by scrolling.
 */
export async function checkTableColumns(browser: Browser, first: string[]): Promise<void> {
  const headers = await browser.evaluate<Header[]>(HEADERS);
  const width = await browser.evaluate<number>(
    `Math.min(document.documentElement.clientWidth,
      document.querySelector("#table .scroll").getBoundingClientRect().right)`,
  );
  for (const h of headers) {
    assert.ok(!h.label.includes("_"), `header ${h.label} is a CSV name`);
    assert.ok(h.title.startsWith(h.key), `${h.label}: hover says ${h.title}, not ${h.key}`);
  }
  const shown = headers.filter((h) => h.shown);
  assert.deepEqual(shown.map((h) => h.key), first);
  for (const h of shown) assert.ok(h.right <= width, `${h.key} ends at ${h.right} > ${width}`);
  assert.ok(headers.length > shown.length, "no further columns to show");
  await browser.evaluate(`document.getElementById("more-columns").click()`);
  const all = await browser.evaluate<Header[]>(HEADERS);
  assert.ok(all.every((h) => h.shown), "more columns did not show them all");
  assert.equal(
    await browser.evaluate(`getComputedStyle(document.querySelector("#table .scroll")).overflowX`),
    "auto",
  );
  await browser.evaluate(`document.getElementById("more-columns").click()`);
  assert.deepEqual(
    (await browser.evaluate<Header[]>(HEADERS)).filter((h) => h.shown).length,
    shown.length,
  );
}

const svgTexts = (selector: string) =>
  `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.textContent)`;

/**
 * The legends of `chart`: only the agents' colours (no legend of line kinds), `agents` exactly,
 * with opaque swatches.
 */
export async function checkLegend(browser: Browser, chart: string, agents: string[]) {
  assert.deepEqual(await browser.evaluate(svgTexts(`#${chart} svg .role-legend-title text`)), [
    "agent (click to select)",
  ]);
  assert.deepEqual(
    await browser.evaluate(svgTexts(`#${chart} svg .role-legend-label text`)),
    agents,
  );
  const opacity = await browser.evaluate<string[][]>(
    `[...document.querySelectorAll("#${chart} svg .role-legend-symbol path")].map((p) => {
      const s = getComputedStyle(p); return [s.opacity, s.fillOpacity, s.strokeOpacity]; })`,
  );
  assert.equal(opacity.length, agents.length);
  for (const o of opacity) assert.deepEqual(o, ["1", "1", "1"], `legend swatch opacity ${o}`);
}

/** The adaptation chart's x axis ticks whole numbers only. */
export async function checkIntegerTicks(browser: Browser): Promise<void> {
  const ticks = await browser.evaluate<string[]>(
    svgTexts(`#adaptation svg .role-axis[aria-label^="X-axis"] .role-axis-label text`),
  );
  assert.ok(ticks.length > 1, `ticks ${ticks}`);
  for (const t of ticks) assert.match(t, /^\d[\d,]*$/, `tick ${t} of ${ticks}`);
}

/** The SVG of `agent`'s reference line of `kind` and of its label on the learning curves. */
async function referenceOf(browser: Browser, agent: string, kind: string) {
  const label = `agent: ${agent}; reference: ${kind};`;
  return await browser.evaluate<{ dash: string; y: number; labelY: number }>(`(() => {
    const has = (e) => e.getAttribute("aria-label")?.includes(${JSON.stringify(label)});
    const y = (e) => e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2;
    const line = [...document.querySelectorAll("#curves svg .mark-rule.role-mark line")].find(has);
    const text = [...document.querySelectorAll("#curves svg .mark-text.role-mark text")].find(has);
    return { dash: line.getAttribute("stroke-dasharray") ?? "", y: y(line), labelY: y(text) };
  })()`);
}

/**
 * Reference lines of agents `a` and `b` (classic baselines) coincide on the chart, yet each has
 * its own dash pattern and a label of its own that the other's does not cover.
 */
export async function checkCoincidingReferences(browser: Browser, a: string, b: string) {
  const [ra, rb] = [
    await referenceOf(browser, a, "baseline"),
    await referenceOf(browser, b, "baseline"),
  ];
  assert.ok(Math.abs(ra.y - rb.y) < 3, `${a} and ${b} do not coincide: ${ra.y}, ${rb.y}`);
  assert.notEqual(ra.dash, rb.dash, `${a} and ${b} share the dash ${ra.dash}`);
  assert.ok(Math.abs(ra.labelY - rb.labelY) >= 10, `labels overlap: ${ra.labelY}, ${rb.labelY}`);
}

/**
 * MAML's page: its table shows each stage's mean with its interval, as the README's MAML
 * section formats them from `csv` (the experiment's comparison.csv), and the paper's Table 4
 * as a row; the adaptation chart draws the paper's stages.
 */
export async function checkMamlStages(browser: Browser, csv: string): Promise<void> {
  const cells = await browser.evaluate<Record<string, string[]>>(`Object.fromEntries(
    [...document.querySelectorAll("#comparison-table tbody tr[data-agent]")].map((tr) => [
      tr.dataset.agent,
      [...tr.querySelectorAll("td[data-statistic^=episode_]")].map((td) => td.textContent)]))`);
  const expected = Object.fromEntries(
    [...episodeRewards(csv)].map((
      [agent, rewards],
    ) => [agent, rewards.map((r) => formatInterval(r))]),
  );
  assert.deepEqual(cells, expected);
  const paper = await browser.evaluate<string[]>(
    `[...document.querySelectorAll('tr.paper-row[data-paper="maml"] td.num')].map((td) => td.textContent).filter((t) => t !== "")`,
  );
  assert.deepEqual(paper, MAML_PAPER_STAGES.map(String));
  const points = await browser.evaluate<number>(
    `[...document.querySelectorAll("#adaptation svg .mark-symbol.role-mark path")]
      .filter((p) => p.getAttribute("aria-label")?.includes("reference: MAML paper (Table 4)")).length`,
  );
  assert.equal(points, MAML_PAPER_STAGES.length);
}
