import assert from "node:assert/strict";
import { join } from "node:path";
import {
  experimentPart,
  rerunFiles,
  RERUNS_OUT,
  rerunsSection,
  shownAgents,
} from "../../../src/harness/paper/reruns_reference.ts";
import { loadExperiment } from "../../../src/experiment/load.ts";
import { PROJECT_ROOT } from "../../../src/project.ts";

const HEADER = "experiment,setting,agent,statistic,versus,value,lower,upper";

/** A comparison.csv with each experiment's agents' final means (±1 as the interval). */
function csv(finals: Record<string, Record<string, number>>): string {
  const rows = Object.entries(finals).flatMap(([experiment, agents]) =>
    Object.entries(agents).map(([agent, v]) =>
      `${experiment},,${agent},final_mean,,${v},${v - 1},${v + 1}`
    )
  );
  return [HEADER, ...rows].join("\n") + "\n";
}

/** A tree with one rerun file extending one reported file, and `out` for their results. */
async function tree(): Promise<{ root: string; out: string }> {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(join(root, "experiments/reruns"), { recursive: true });
  const reported = {
    name: "reported",
    task: { kind: "bandit", arms: 2, episodes: 3 },
    seeds: [0],
    agents: {
      rl2: { kind: "rl2", policy: { gru: 4 }, sampling: { iterations: 1, batch_timesteps: 6 } },
      trpo: { kind: "trpo", policy: { mlp: [4] }, sampling: { iterations: 1, batch_timesteps: 6 } },
      greedy: { kind: "greedy" },
      random: { kind: "random" },
    },
    evaluation: { tasks: 5 },
    expect: [{ agent: "rl2", better_than: "trpo" }],
  };
  await Deno.writeTextFile(join(root, "experiments/reported.jsonc"), JSON.stringify(reported));
  await Deno.writeTextFile(
    join(root, "experiments/reruns/again.jsonc"),
    JSON.stringify({ extends: "../reported.jsonc", name: "again", seeds: [7] }),
  );
  return { root, out: join(root, "results") };
}

Deno.test("the committed rerun files each extend the experiment they rerun and change only seeds, evaluation tasks and names", async () => {
  const files = await rerunFiles(PROJECT_ROOT);
  assert.ok(files.length >= 3, files.join(", "));
  for (const file of files) {
    const rerun = await loadExperiment(file);
    assert.ok(rerun.parent !== undefined, `${file} extends nothing`);
    const reported = await loadExperiment(rerun.parent);
    const strip = (c: typeof rerun.config) => ({
      ...c,
      name: "",
      description: "",
      seeds: [],
      evaluation: { ...c.evaluation, seed: 0 },
    });
    assert.deepEqual(strip(rerun.config), strip(reported.config), file);
    assert.notEqual(rerun.config.evaluation.seed, reported.config.evaluation.seed, file);
    const shared = rerun.config.seeds.filter((s) => reported.config.seeds.includes(s));
    assert.deepEqual(shared, [], `${file} reuses training seeds`);
  }
});

Deno.test("experimentPart() takes one experiment's part of a multi-experiment comparison.md", () => {
  const markdown = "# Comparison\n\n## Summary\n\n## a\n\n### Expectations\n\n- PASS a1\n\n" +
    "## ab\n\n### Expectations\n\n- FAIL ab1\n";
  assert.match(experimentPart(markdown, "a"), /PASS a1/);
  assert.doesNotMatch(experimentPart(markdown, "a"), /ab1/);
  assert.match(experimentPart(markdown, "ab"), /FAIL ab1/);
  assert.equal(experimentPart(markdown, "missing"), "");
});

Deno.test("shownAgents() lists the claimed agents, then the rerun's best agent once", async () => {
  const { root } = await tree();
  try {
    const rerun = await loadExperiment(join(root, "experiments/reruns/again.jsonc"));
    const rows = (finals: Record<string, number>) =>
      Object.entries(finals).map(([agent, point]) => ({
        experiment: "again",
        setting: "",
        agent,
        final: { point, lower: point, upper: point },
      }));
    assert.deepEqual(shownAgents(rerun, rows({ rl2: 6, trpo: 5, greedy: 7, random: 4 })), [
      "rl2",
      "trpo",
      "greedy",
    ]);
    assert.deepEqual(shownAgents(rerun, rows({ rl2: 8, trpo: 5, greedy: 7 })), ["rl2", "trpo"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("rerunsSection() sets reported and rerun means side by side with the rerun's expectations", async () => {
  const { root, out } = await tree();
  try {
    assert.match(
      await rerunsSection(root, out),
      new RegExp(`^_Not run yet: no comparison under results/reference/${RERUNS_OUT}/again/`),
    );
    const dir = join(out, RERUNS_OUT, "again");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(
      join(dir, "comparison.csv"),
      csv({
        reported: { rl2: 6.7, trpo: 5, greedy: 6.5, random: 5 },
        again: { rl2: 6.6, trpo: 5.1, greedy: 6.7, random: 5 },
      }),
    );
    await Deno.writeTextFile(
      join(dir, "comparison.md"),
      "## reported\n\n### Expectations\n\n- PASS rl2 better than trpo: old\n\n" +
        "## again\n\n### Expectations\n\n- FAIL rl2 better than trpo: new\n",
    );
    const section = await rerunsSection(root, out);
    assert.ok(
      section.includes(
        "| again.jsonc | rl2 | 6.700 [5.700, 7.700] | 6.600 [5.600, 7.600] | -0.100 |",
      ),
      section,
    );
    assert.ok(
      section.includes(
        "| again.jsonc | trpo | 5.000 [4.000, 6.000] | 5.100 [4.100, 6.100] | +0.100 |",
      ),
      section,
    );
    assert.ok(section.includes("| again.jsonc | greedy | "), section);
    assert.ok(!section.includes("| random |"), section);
    assert.ok(section.includes("- FAIL rl2 better than trpo: new (again)"), section);
    assert.ok(!section.includes(": old"), section);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
