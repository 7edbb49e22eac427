import assert from "node:assert/strict";
import { compareExperiment } from "../../../src/analysis/comparison.ts";
import type { ExperimentComparison } from "../../../src/analysis/comparison_types.ts";
import type { Run } from "../../../src/experiment/expand.ts";
import { readResults } from "../../../src/harness/report/compare.ts";
import {
  ablationSpec,
  agentColors,
  learningCurveSpec,
  PALETTE,
  renderSvg,
} from "../../../src/harness/report/plot.ts";
import { banditExperiment, tempDir, writeResults } from "../_synthetic.ts";

const root = tempDir();
let folders = 0;

async function comparison(raw: Record<string, unknown>): Promise<ExperimentComparison> {
  const score = (run: Run, iteration: number, task: number) =>
    run.seed + task / 4 + iteration / 2 + (run.agent === "rl2" ? 2 : 0);
  const dir = await writeResults(`${root}/${++folders}`, raw, { score });
  const [results] = await readResults([dir]);
  return compareExperiment(results!, { seed: 0, resamples: 200 });
}

/** Checks that every tag is closed in order and that the text is one `<svg>` element. */
function assertWellFormed(svg: string): void {
  assert.ok(svg.startsWith("<svg") && svg.endsWith("</svg>\n"), "one svg element");
  const stack: string[] = [];
  for (const [, close, name, , selfClosing] of svg.matchAll(/<(\/?)([\w:-]+)([^>]*?)(\/?)>/g)) {
    if (close === "/") assert.equal(stack.pop(), name, `</${name}> closes the open tag`);
    else if (selfClosing !== "/") stack.push(name!);
  }
  assert.deepEqual(stack, [], "every tag is closed");
  assert.equal(svg.replace(/<[^>]*>/g, "").includes("<"), false);
}

/** The stroke colours of the SVG's elements of one mark type (vega's aria role). */
function strokes(svg: string, role: string): string[] {
  const tags = svg.match(new RegExp(`<[^>]*aria-roledescription="${role}"[^>]*>`, "g")) ?? [];
  return tags.map((tag) => /stroke="(#[0-9a-f]+)"/.exec(tag)?.[1] ?? "none");
}

Deno.test("agentColors() gives agents the palette in name order", () => {
  const colors = agentColors(["trpo", "rl2", "ucb1"]);
  assert.deepEqual([...colors], [["rl2", PALETTE[0]], ["trpo", PALETTE[1]], ["ucb1", PALETTE[2]]]);
});

Deno.test("learningCurveSpec() renders a line per trained agent, flat classic and dashed paper lines", async () => {
  const c = await comparison(banditExperiment({
    paper: { table: "T", row: "r", values: { rl2: 9, ucb1: 1.5 } },
  }));
  const svg = await renderSvg(learningCurveSpec(c, c.settings[0]!)!);
  assertWellFormed(svg);
  const [rl2, trpo, ucb1] = PALETTE;
  assert.deepEqual(strokes(svg, "line mark").sort(), [rl2, trpo].sort(), "one path per agent");
  assert.equal(strokes(svg, "area mark").length, 2, "a CI band per trained agent");
  const rules = svg.match(/<line[^>]*aria-roledescription="rule mark"[^>]*>/g) ?? [];
  const dashed = rules.filter((r) => r.includes("stroke-dasharray"));
  assert.deepEqual(
    rules.filter((r) => !r.includes("stroke-dasharray")).map((r) => /stroke="([^"]+)"/.exec(r)![1]),
    [ucb1],
    "the classic baseline as a solid line",
  );
  assert.deepEqual(dashed.map((r) => /stroke="([^"]+)"/.exec(r)![1]).sort(), [rl2, ucb1].sort());
  assert.match(svg, /timesteps/);
});

Deno.test("renderSvg() output is byte-identical on rerun", async () => {
  const c = await comparison(banditExperiment({
    ablations: { "rl2.policy.gru": [4, 8] },
  }));
  const again = await comparison(banditExperiment({
    ablations: { "rl2.policy.gru": [4, 8] },
  }));
  for (const [a, b] of [[c, c], [c, again]] as const) {
    assert.equal(
      await renderSvg(learningCurveSpec(a, a.settings[1]!)!),
      await renderSvg(learningCurveSpec(b, b.settings[1]!)!),
    );
    assert.equal(
      await renderSvg(ablationSpec(a, a.axes[0]!)!),
      await renderSvg(ablationSpec(b, b.axes[0]!)!),
    );
  }
});

Deno.test("ablationSpec() renders a point per ablation value with error bars and the baseline", async () => {
  const c = await comparison(banditExperiment({
    ablations: { "rl2.policy.gru": [4, 8, 16] },
  }));
  const svg = await renderSvg(ablationSpec(c, c.axes[0]!)!);
  assertWellFormed(svg);
  assert.equal((svg.match(/aria-roledescription="point"/g) ?? []).length, 3);
  const rules = svg.match(/<line[^>]*aria-roledescription="rule mark"[^>]*>/g) ?? [];
  assert.equal(rules.filter((r) => !r.includes("stroke-dasharray")).length, 3, "error bars");
  assert.equal(rules.filter((r) => r.includes("stroke-dasharray")).length, 1, "baseline");
  for (const value of ["4", "8", "16"]) assert.match(svg, new RegExp(`>${value}</text>`));
});

Deno.test("learningCurveSpec() and ablationSpec() draw nothing without results", async () => {
  const c = await comparison(banditExperiment({ ablations: { "rl2.policy.gru": [4, 8] } }));
  const empty: ExperimentComparison = {
    ...c,
    settings: c.settings.map((s) => ({
      ...s,
      rows: s.rows.map(({ curve: _, ...row }) => ({ ...row, summary: { seeds: [] } })),
    })),
    axes: c.axes.map((a) => ({ ...a, rows: a.rows.map((r) => ({ ...r, cells: [undefined] })) })),
  };
  assert.equal(learningCurveSpec(empty, empty.settings[0]!), undefined);
  assert.equal(ablationSpec(empty, empty.axes[0]!), undefined);
});
