/**
 * docs/learners.md's recipes for adding a task distribution, a classic baseline and an
 * on-policy learner are true: applied exactly as written (their blocks, `_recipe_steps.ts`) to a
 * copy of the repository, the copy passes `deno task check`, the recipes' own tests, the tests
 * that hold each registry whole, and `deno task validate` of experiments that use the three new
 * components.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/project.ts";
import { applyDiff, applyStep, copyRepository, deno, recipeSteps } from "./_recipe_steps.ts";

/** The tests that hold the registries whole, run in the copy beside the recipes' own. */
const REGISTRY_TESTS = [
  "tests/harness/generated_files_test.ts",
  "tests/experiment/json_schema_test.ts",
  "tests/experiment/schema_test.ts",
  "tests/experiment/settings_blocks_test.ts",
  "tests/learners/registry_test.ts",
  "tests/baselines/bandit/mod_test.ts",
  "tests/docs/learners_test.ts",
];

/** Experiments that use the recipes' task, baseline and learner, validated in the copy. */
const EXPERIMENTS: Record<string, unknown> = {
  "coin.jsonc": {
    name: "recipe-coin",
    task: { kind: "coin", episodes: 4 },
    seeds: [0],
    agents: {
      vpg: { kind: "vpg", sampling: { iterations: 2, batch_timesteps: 40 }, vpg: {} },
      rl2: { kind: "rl2", policy: { gru: 8 }, sampling: { iterations: 2, batch_timesteps: 40 } },
    },
  },
  "win-stay.jsonc": {
    name: "recipe-win-stay",
    task: { kind: "bandit", arms: 3, episodes: 10 },
    seeds: [0],
    agents: { win_stay: { kind: "win_stay" }, ucb1: { kind: "ucb1" } },
  },
};

Deno.test("applyDiff() adds the + lines where the context puts them, and refuses a context not found once", () => {
  const text = "a\nb\nc\nb\n";
  assert.equal(applyDiff(text, [" a", "+x", " b"]), "a\nx\nb\nc\nb\n");
  assert.equal(applyDiff(text, [" c", " b", "+y"]), "a\nb\nc\nb\ny\n");
  assert.throws(() => applyDiff(text, [" b", "+x"]), /found 2 times/);
  assert.throws(() => applyDiff(text, [" d", "+x"]), /found 0 times/);
  assert.throws(() => applyDiff(text, ["-a"]), /neither context nor added/);
});

Deno.test("recipeSteps() reads every block of the section, and refuses one it cannot apply", () => {
  const doc = (block: string) =>
    `# T\n\n## Adding a component\n\n${block}\n\n## Next\n\n\`\`\`ts\nignored();\n\`\`\`\n`;
  assert.deepEqual(recipeSteps(doc("```ts file=a.ts\nx;\n```\n\n```sh\ndeno task schema\n```")), [
    { kind: "file", path: "a.ts", text: "x;\n" },
    { kind: "command", args: ["task", "schema"] },
  ]);
  assert.deepEqual(recipeSteps(doc("```diff b.ts\n a\n+b\n```")), [
    { kind: "diff", path: "b.ts", lines: [" a", "+b"] },
  ]);
  assert.throws(() => recipeSteps(doc("```ts\nx;\n```")), /a block the recipes do not apply/);
  assert.throws(() => recipeSteps(doc("```sh\nrm -rf /\n```")), /not a deno task/);
});

Deno.test("docs/learners.md's recipes, applied as written to a copy, pass deno task check and the tests", async () => {
  const doc = await Deno.readTextFile(join(PROJECT_ROOT, "docs/learners.md"));
  const steps = recipeSteps(doc);
  const created = steps.flatMap((s) => s.kind === "file" ? [s.path] : []);
  for (
    const path of ["src/envs/coin.ts", "src/baselines/bandit/win_stay.ts", "src/learners/vpg.ts"]
  ) {
    assert.ok(created.includes(path), `the recipes make no ${path}`);
  }
  const copy = await Deno.makeTempDir({ prefix: "rl2lab-recipes-" });
  try {
    await copyRepository(PROJECT_ROOT, copy);
    for (const step of steps) await applyStep(copy, step);
    await deno(copy, ["task", "check"]);
    const ownTests = created.filter((path) => path.startsWith("tests/"));
    await deno(copy, ["test", "-A", "--frozen", "--cached-only", ...ownTests, ...REGISTRY_TESTS]);
    for (const [name, experiment] of Object.entries(EXPERIMENTS)) {
      await Deno.writeTextFile(join(copy, name), JSON.stringify(experiment, null, 2));
    }
    const validated = await deno(copy, ["task", "validate", ...Object.keys(EXPERIMENTS)]);
    for (const name of Object.keys(EXPERIMENTS)) {
      assert.match(validated, new RegExp(`${name}: ok`));
    }
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
});
