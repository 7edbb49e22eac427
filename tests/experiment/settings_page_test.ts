import assert from "node:assert/strict";
import { z } from "zod";
import { rangeText, settingsPageText } from "../../src/experiment/settings_page.ts";

Deno.test("rangeText: integers, open and closed intervals, item counts", () => {
  assert.equal(rangeText(z.int().min(1).max(4096)), "integer [1, 4096]");
  assert.equal(rangeText(z.number().gt(0).lt(1)), "(0, 1)");
  assert.equal(rangeText(z.number().gt(0).max(10)), "(0, 10]");
  assert.equal(rangeText(z.number().positive()), "> 0");
  assert.equal(rangeText(z.number().max(3)), "≤ 3");
  assert.equal(rangeText(z.int()), "integer", "the safe-integer limits are not a range");
  assert.equal(rangeText(z.array(z.int().min(1)).min(1).max(8)), "1–8 items, each integer ≥ 1");
  assert.equal(rangeText(z.array(z.number()).min(1)), "1 or more items");
  assert.equal(rangeText(z.enum(["a", "b"])), "");
});

Deno.test("settingsPageText: a section per block, a row per field, nested fields dotted", () => {
  const inner = z.strictObject({ lo: z.number().default(0).describe("lower end") });
  const outer = z.strictObject({
    units: z.int().min(1).default(8).describe("units (paper: 8)"),
    prior: z.strictObject({ mean: z.number().describe("its mean") }).optional(),
    child: inner,
  });
  const text = settingsPageText(
    [
      {
        path: "agents.NAME.demo",
        where: "demo",
        doc: "A demo.",
        schema: outer,
        type: { name: "Demo", module: "agent" },
      },
      {
        path: "agents.NAME.demo.child",
        where: "demo",
        doc: "A child.",
        schema: inner,
        type: { name: "Inner", module: "agent" },
      },
    ],
    [{ name: "Inner", module: "agent", doc: "Inner.", schema: inner }],
  );
  assert.match(text, /^# Settings\n/);
  assert.match(text, /- \[`agents\.NAME\.demo` \(demo\)\]\(#agentsnamedemo-demo\)/);
  assert.match(text, /## `agents\.NAME\.demo` \(demo\)\n\nA demo\. Its type: `Demo`\./);
  assert.match(text, /\| `units` \| `number` \| `8` \| integer ≥ 1 \| Units \(paper: 8\)\. \|/);
  assert.match(text, /\| `prior\?` \| `object` \| absent \| {2}\| {2}\|\n\| `prior\.mean` \|/);
  assert.match(text, /\| `child` \| \[`Inner`\]\(#agentsnamedemochild-demo\) \| required \|/);
  assert.match(text, /## `agents\.NAME\.demo\.child` \(demo\)\n\nA child\. Its type: `Inner`\.\n/);
});
