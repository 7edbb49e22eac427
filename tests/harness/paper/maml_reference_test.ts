import assert from "node:assert/strict";
import { join } from "node:path";
import {
  episodeRewards,
  expectationLines,
  MAML_FILES,
  MAML_OUT,
  mamlSection,
} from "../../../src/harness/paper/maml_reference.ts";
import { MAML_PAPER_STAGES } from "../../../src/analysis/paper_table.ts";
import { loadExperiment } from "../../../src/experiment/load.ts";
import { PROJECT_ROOT } from "../../../src/project.ts";

const HEADER = "experiment,setting,agent,statistic,versus,value,lower,upper";

/** A comparison.csv with each agent's per-episode rewards (±1 as the interval). */
function csv(experiment: string, rewards: Record<string, number[]>): string {
  const rows = Object.entries(rewards).flatMap(([agent, values]) => [
    `${experiment},,${agent},seeds,,5,,`,
    ...values.map((v, e) =>
      `${experiment},,${agent},episode_${e + 1}_reward,,${v},${v - 1},${v + 1}`
    ),
  ]);
  return [HEADER, ...rows].join("\n") + "\n";
}

Deno.test("episodeRewards() reads each agent's episode rewards in episode order", () => {
  const text = [
    HEADER,
    "x,,maml,episode_2_reward,,-12,-13,-11",
    "x,,maml,final_mean,,-60,-61,-59",
    "x,,maml,episode_1_reward,,-40,-41,-39",
  ].join("\n");
  assert.deepEqual([...episodeRewards(text)], [[
    "maml",
    [{ point: -40, lower: -41, upper: -39 }, { point: -12, lower: -13, upper: -11 }],
  ]]);
  assert.throws(() => episodeRewards("a,b\n1,2\n"), /comparison.csv has columns a,b/);
});

Deno.test("expectationLines() takes the PASS and FAIL lines of the Expectations section only", () => {
  const markdown = "# Comparison\n\n- PASS not this one\n\n### Expectations\n\n" +
    "- PASS maml episode 2 better than maml episode 1: …\n- FAIL rl2 episode 4 …\n\nwrote …\n";
  assert.deepEqual(expectationLines(markdown), [
    "- PASS maml episode 2 better than maml episode 1: …",
    "- FAIL rl2 episode 4 …",
  ]);
  assert.deepEqual(expectationLines("# Comparison\n"), []);
});

Deno.test("mamlSection() sets every agent's stages beside the paper's, with the expectations", async () => {
  const out = await Deno.makeTempDir();
  try {
    const [main, oracle, table4] = await Promise.all(
      MAML_FILES.map(async (f) => (await loadExperiment(join(PROJECT_ROOT, f))).config.name),
    );
    assert.match(
      await mamlSection(PROJECT_ROOT, out),
      new RegExp(`^_Not run yet: no comparison under results/reference/${MAML_OUT}/${main}/`),
    );
    const write = async (name: string, rewards: Record<string, number[]>, md: string) => {
      const dir = join(out, MAML_OUT, name);
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(join(dir, "comparison.csv"), csv(name, rewards));
      await Deno.writeTextFile(join(dir, "comparison.md"), md);
    };
    await write(
      main!,
      { maml: [-40, -18, -12, -9], rl2: [-30, -25, -24, -23] },
      "### Expectations\n\n- PASS maml episode 2 better than maml episode 1: x\n",
    );
    await write(oracle!, { oracle: [-5, -5, -5, -5] }, "# Comparison\n");
    await write(table4!, { maml: [-40, -12, -7, -7] }, "# Comparison\n");
    const section = await mamlSection(PROJECT_ROOT, out);
    assert.ok(section.includes(`| ${main} | maml | -40.000 [-41.000, -39.000] | -18.000 `));
    assert.ok(section.includes(`| ${oracle} | oracle | -5.000 [-6.000, -4.000] |`));
    assert.ok(section.includes(`| ${table4} | maml | -40.000 [-41.000, -39.000] | -12.000 `));
    assert.ok(
      section.includes(`| MAML paper (Table 4) | maml | ${MAML_PAPER_STAGES.join(" | ")} |`),
    );
    assert.ok(
      section.includes(`- PASS maml episode 2 better than maml episode 1: x (${main})`),
      section,
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
