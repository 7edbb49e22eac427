import assert from "node:assert/strict";
import {
  LABEL_PX,
  PAPER_DASH,
  paperStagesOf,
  referenceLines,
  stagePoints,
} from "../../../src/harness/serve/reference_lines.ts";
import type { Reference, ViewPoint } from "../../../src/harness/serve/experiment_view.ts";

const point = (variant: string, x: number, mean: number): ViewPoint => ({
  variant,
  agent: variant.split("/")[0]!,
  iteration: 10,
  x,
  mean,
  lower: mean - 1,
  upper: mean + 1,
  seeds: 3,
});

Deno.test("referenceLines(): coinciding lines take turns, each its own dash; labels do not overlap", () => {
  const references: Reference[] = [
    { variant: "ucb1", kind: "baseline", value: 6.652 },
    { variant: "gittins", kind: "baseline", value: 6.653 },
    { variant: "random", kind: "baseline", value: 2 },
    { variant: "thompson", kind: "paper", value: 4 },
  ];
  // 0–10 over 100 px: 0.1 a pixel.
  const lines = referenceLines(references, [point("rl2", 0, 1), point("rl2", 1, 9)], 100);
  const by = new Map(lines.map((l) => [l.variant, l]));
  assert.deepEqual(by.get("random")!.dash, [1, 0]);
  assert.deepEqual(by.get("thompson")!.dash, PAPER_DASH);
  assert.equal(by.get("thompson")!.label, "thompson (paper)");
  const [gittins, ucb1] = [by.get("gittins")!, by.get("ucb1")!];
  assert.notDeepEqual(gittins.dash, ucb1.dash);
  // Each draws one dash in turn: the same period, offset by one dash.
  assert.deepEqual([gittins.dash, ucb1.dash], [[0, 0, 8, 8], [0, 8, 8, 0]]);
  // Labels: every pair at least a label apart, in pixels (0.1 a pixel, dy down).
  const px = lines.map((l) => -l.labelValue / 0.1 + l.labelDy).sort((a, b) => a - b);
  for (let i = 1; i < px.length; i++) assert.ok(px[i]! - px[i - 1]! >= LABEL_PX - 1e-9, `${px}`);
  // A label stays by its line when nothing crowds it.
  assert.deepEqual([by.get("random")!.labelValue, by.get("random")!.labelDy], [2, 0]);
});

Deno.test("paperStagesOf() and stagePoints(): MAML's Table 4 at the x of MAML's own stages", () => {
  const resolved = {
    task: { kind: "navigation" },
    agents: { maml: { kind: "maml_trpo" }, rl2: { kind: "rl2" } },
  };
  const stages = paperStagesOf(resolved);
  assert.deepEqual(stages, [{
    agent: "maml",
    source: "MAML paper (Table 4)",
    values: [-40.41, -11.68, -3.33, -3.23],
  }]);
  assert.deepEqual(paperStagesOf({ ...resolved, task: { kind: "bandit" } }), []);
  const adaptation = [40, 0, 20, 60].map((x) => point("maml", x, -x)).concat(
    [0, 1, 2, 3].map((x) => point("rl2", x, -x)),
  );
  assert.deepEqual(
    stagePoints(stages, adaptation).map((p) => [p.variant, p.stage, p.x, p.value]),
    [["maml", 1, 0, -40.41], ["maml", 2, 20, -11.68], ["maml", 3, 40, -3.33], [
      "maml",
      4,
      60,
      -3.23,
    ]],
  );
});
