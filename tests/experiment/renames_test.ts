import assert from "node:assert/strict";
import { join } from "node:path";
import { expandRuns } from "../../src/experiment/expand.ts";
import { fileNotices, loadExperiment, validateFiles } from "../../src/experiment/load.ts";
import type { AgentConfig } from "../../src/experiment/schema.ts";
import { renameKeys } from "../../src/experiment/renames.ts";
import { renamedResolved, renameRunConfig } from "../../src/experiment/renamed_results.ts";
import { validateExperiment } from "../../src/experiment/rules.ts";
import { ExperimentError, formatIssue } from "../../src/experiment/source.ts";
import { formatPath } from "../../src/experiment/issues.ts";
import { runIdentity } from "../../src/harness/run/manifest.ts";
import { LEARNERS } from "../../src/learners/registry.ts";

const dir = Deno.makeTempDirSync({ prefix: "rl2lab-renames-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  Deno.writeTextFileSync(path, text);
  return path;
}

const NOTICE = "renamed to entropy_coeff (accepted; write the new name)";

/** An experiment with the entropy bonus of each update rule, in the old spelling where it had one. */
const OLD = `// PPO and first-order TRPO with the old name of the entropy bonus
{
  "name": "renamed",
  "task": { "kind": "bandit", "arms": 3, "episodes": 2 },
  "seeds": [0, 1],
  "agents": {
    "ppo": { "kind": "rl2_ppo", "sampling": { "iterations": 2, "batch_timesteps": 60 },
      "ppo": { "epochs": 2, "entropy_coef": 0.02 } },
    "fo": { "kind": "fo_trpo", "sampling": { "iterations": 2, "batch_timesteps": 60 },
      "fo_trpo": { "entropy_coef": 0.1 } },
    "rl2": { "kind": "rl2", "sampling": { "iterations": 2, "batch_timesteps": 60 },
      "trpo": { "entropy_coeff": 0.01 } }
  },
  "ablations": { "ppo.ppo.entropy_coef": [0, 0.05] }
}
`;

/** {@link OLD} as it is written now. */
const NEW = OLD.replaceAll('entropy_coef"', 'entropy_coeff"');

/** The block `name` of a resolved agent. */
function blockOf(agent: AgentConfig | undefined, name: string): Record<string, unknown> {
  assert(agent !== undefined);
  return agent[name] as Record<string, unknown>;
}

async function rejection(path: string): Promise<ExperimentError> {
  try {
    await loadExperiment(path);
  } catch (e) {
    if (e instanceof ExperimentError) return e;
    throw e;
  }
  throw new assert.AssertionError({ message: `${path} was accepted` });
}

Deno.test("the PPO and first-order TRPO learners rename entropy_coef, TRPO's spelling stays", () => {
  const renamed = Object.fromEntries(
    LEARNERS.filter((l) => l.renamed !== undefined).map((l) => [l.kind, l.renamed]),
  );
  const table = { entropy_coef: "entropy_coeff" };
  assert.deepEqual(renamed, {
    rl2_ppo: { ppo: table },
    ppo: { ppo: table },
    rl2_fo_trpo: { fo_trpo: table },
    fo_trpo: { fo_trpo: table },
  });
});

Deno.test("a file with the old name resolves to exactly the file with the new one, and says so", async () => {
  const oldPath = write("old.jsonc", OLD);
  const old = await loadExperiment(oldPath);
  const current = await loadExperiment(write("new.jsonc", NEW));
  assert.deepEqual(current.notices, []);
  assert.deepEqual(old.notices.map(formatIssue), [
    `${oldPath}:8:29: agents.ppo.ppo.entropy_coef: ${NOTICE}`,
    `${oldPath}:10:20: agents.fo.fo_trpo.entropy_coef: ${NOTICE}`,
    `${oldPath}:14:18: ablations["ppo.ppo.entropy_coef"]: renamed to ppo.ppo.entropy_coeff ` +
    "(accepted; write the new name)",
  ]);
  assert.equal(old.canonical, current.canonical);
  assert.equal(old.hash, current.hash);
  assert(!old.canonical.includes('"entropy_coef"'), old.canonical);
  const ppo = blockOf(old.config.agents.ppo, "ppo");
  assert.equal(ppo.entropy_coeff, 0.02);
  assert.deepEqual(Object.keys(ppo), [
    "clip",
    "epochs",
    "minibatches",
    "learning_rate",
    "entropy_coeff",
    "max_grad_norm",
  ]);
  // Every run has the identity (the config hash of its manifest) of the new spelling's run.
  const runs = expandRuns(old);
  const currentRuns = expandRuns(current);
  assert.deepEqual(runs.map((r) => r.id), currentRuns.map((r) => r.id));
  assert(runs.some((r) => r.id === "ppo/entropy_coeff=0.05/seed-1"));
  for (const [i, run] of runs.entries()) {
    const mine = await runIdentity(old.config, run);
    assert.equal(mine.hash, (await runIdentity(current.config, currentRuns[i]!)).hash, run.id);
    assert(!JSON.stringify(mine.config).includes('"entropy_coef"'));
  }
  const [checked] = await validateFiles([oldPath]);
  assert.deepEqual(checked!.issues, []);
  assert.deepEqual(checked!.notices, old.notices);
});

Deno.test("both names at once are an error naming both, at the old key", async () => {
  const path = write(
    "both.jsonc",
    OLD.replace('"entropy_coef": 0.02', '"entropy_coef": 0.02, "entropy_coeff": 0.02')
      .replace(
        '"ppo.ppo.entropy_coef": [0, 0.05]',
        '"ppo.ppo.entropy_coef": [0], "ppo.ppo.entropy_coeff": [1e-3]',
      ),
  );
  const error = await rejection(path);
  assert.deepEqual(error.message.split("\n"), [
    `${path}:8:29: agents.ppo.ppo.entropy_coef: "entropy_coef" is the old name of ` +
    '"entropy_coeff", which is also given; keep only "entropy_coeff"',
    `${path}:14:18: ablations["ppo.ppo.entropy_coef"]: "ppo.ppo.entropy_coef" is the old name ` +
    'of "ppo.ppo.entropy_coeff", which is also given; keep only "ppo.ppo.entropy_coeff"',
  ]);
  // The renames that did go through are still said.
  assert.deepEqual(error.notices.map((n) => n.path), ["agents.fo.fo_trpo.entropy_coef"]);
});

Deno.test("a problem of a value under the old name is placed at that value", async () => {
  const path = write("negative.jsonc", OLD.replace('"entropy_coef": 0.1', '"entropy_coef": -1'));
  const error = await rejection(path);
  assert.deepEqual(error.message.split("\n"), [
    `${path}:10:36: agents.fo.fo_trpo.entropy_coef: expected a number >= 0 (got -1)`,
  ]);
  const ablated = write("ablated.jsonc", OLD.replace("[0, 0.05]", "[0, -0.05]"));
  assert.deepEqual((await rejection(ablated)).message.split("\n"), [
    `${ablated}:14:46: ablations["ppo.ppo.entropy_coef"][1]: expected a number >= 0 (got -0.05)`,
  ]);
});

Deno.test("TRPO's block has no old name: entropy_coef there is an unknown key", async () => {
  const path = write("trpo.jsonc", OLD.replace('"entropy_coeff": 0.01', '"entropy_coef": 0.01'));
  const error = await rejection(path);
  assert.deepEqual(error.message.split("\n"), [
    `${path}:12:17: agents.rl2.trpo.entropy_coef: unknown key "entropy_coef"; ` +
    'did you mean "entropy_coeff"?',
  ]);
});

Deno.test("extends: each file's old names are renamed in that file, then the child wins", async () => {
  const parent = {
    name: "parent",
    task: { kind: "bandit", arms: 3, episodes: 2 },
    seeds: [0],
    agents: {
      ppo: { kind: "rl2_ppo", sampling: { iterations: 1, batch_timesteps: 6 }, ppo: {} },
    },
  };
  const file = (name: string, data: unknown) =>
    write(name, `// ${name}\n${JSON.stringify(data, null, 2)}\n`);
  const withEntropy = (key: string, value: number) => ({
    ...parent,
    agents: { ppo: { ...parent.agents.ppo, ppo: { [key]: value } } },
  });
  const oldParent = file("old-parent.jsonc", withEntropy("entropy_coef", 0.3));
  const newParent = file("new-parent.jsonc", withEntropy("entropy_coeff", 0.3));
  const child = (name: string, parentFile: string, key: string) =>
    file(name, {
      extends: parentFile.slice(dir.length + 1),
      name: "child",
      agents: { ppo: { ppo: { [key]: 0.4 } } },
      ablations: { [`ppo.ppo.${key}`]: [0.4, 0.5] },
    });
  const newChild = await loadExperiment(child("new-child.jsonc", oldParent, "entropy_coeff"));
  const oldChildPath = child("old-child.jsonc", newParent, "entropy_coef");
  const oldChild = await loadExperiment(oldChildPath);
  for (const experiment of [newChild, oldChild]) {
    const ppo = blockOf(experiment.config.agents.ppo, "ppo");
    assert.equal(ppo.entropy_coeff, 0.4);
    assert.equal("entropy_coef" in ppo, false);
  }
  assert.equal(newChild.canonical, oldChild.canonical);
  assert.deepEqual(newChild.notices.map(formatIssue), [
    `${oldParent}:20:9: agents.ppo.ppo.entropy_coef: ${NOTICE}`,
  ]);
  // The child's ablation names an agent whose kind only its parent gives.
  assert.deepEqual(oldChild.notices.map(formatIssue), [
    `${oldChildPath}:8:9: agents.ppo.ppo.entropy_coef: ${NOTICE}`,
    `${oldChildPath}:13:5: ablations["ppo.ppo.entropy_coef"]: renamed to ppo.ppo.entropy_coeff ` +
    "(accepted; write the new name)",
  ]);
});

Deno.test("validateExperiment() renames parsed data (a resolved experiment of older results)", () => {
  const data = {
    name: "x",
    task: { kind: "bandit", arms: 2, episodes: 1 },
    seeds: [0],
    agents: {
      a: { kind: "ppo", sampling: { iterations: 1, batch_timesteps: 1 }, ppo: { entropy_coef: 0 } },
    },
  };
  const check = validateExperiment(data);
  assert.deepEqual(check.issues, []);
  assert.deepEqual(check.notices, [
    { path: ["agents", "a", "ppo", "entropy_coef"], atKey: true, message: NOTICE },
  ]);
  const ppo = blockOf(check.config?.agents.a, "ppo");
  assert.equal(ppo.entropy_coeff, 0);
  assert.equal("entropy_coef" in ppo, false);
  assert.deepEqual(data.agents.a.ppo, { entropy_coef: 0 }, "the data given is left as it was");
  // Blocks ablated whole are blocks too.
  const whole = renameKeys({ ...data, ablations: { "a.ppo": [{ entropy_coef: 1 }, 2] } });
  assert.deepEqual((whole.data as typeof data & { ablations: unknown }).ablations, {
    "a.ppo": [{ entropy_coeff: 1 }, 2],
  });
  assert.deepEqual(whole.notices.map((n) => n.path), [
    ["agents", "a", "ppo", "entropy_coef"],
    ["ablations", "a.ppo", 0, "entropy_coef"],
  ]);
  assert.equal(renameKeys(data.agents).data, data.agents, "no agents block: nothing to rename");
});

Deno.test("fileNotices() places the notices of a results folder's resolved experiment", async () => {
  const { canonical } = await loadExperiment(write("resolved-source.jsonc", NEW));
  const text = canonical.replace('"entropy_coeff":0.1', '"entropy_coef":0.1') + "\n";
  const path = write("experiment.resolved.json", text);
  const column = text.indexOf('"entropy_coef"') + 1;
  assert.deepEqual((await fileNotices(path)).map(formatIssue), [
    `${path}:1:${column}: agents.fo.fo_trpo.entropy_coef: ${NOTICE}`,
  ]);
  assert.deepEqual(await fileNotices(join(dir, "missing.json")), []);
});

/** A navigation experiment with RL² and the fine-tuned memoryless baseline, in `spelling`. */
function navigation(spelling: "old" | "new"): string {
  const finetune = '{ "trajectories": 4 }';
  const old = spelling === "old";
  return `// RL² with the authors' trial start, and the memoryless baseline fine-tuned as MAML is
{
  "name": "moved",
  "task": { "kind": "navigation", "episodes": 2, "max_steps": 5 },
  "seeds": [0],
  "agents": {
    "rl2": { "kind": "rl2", "policy": { "gru": 4, "start_input": "${
    old ? "code" : "no_action_done"
  }" },
      "sampling": { "iterations": 1, "batch_timesteps": 20 } },
    "trpo": { "kind": "trpo", "sampling": { "iterations": 1, "batch_timesteps": 20 }${
    old ? `, "trpo": { "finetune": ${finetune} }` : ""
  } }
  },
  "evaluation": { "tasks": 2${old ? "" : `, "finetune": ${finetune}`} },
  "ablations": { "rl2.policy.start_input": ["${old ? "paper" : "action_0"}", "${
    old ? "code" : "no_action_done"
  }"] }
}
`;
}

Deno.test("an old value and a setting moved out of its block resolve to the file written now, and say so", async () => {
  const oldPath = write("old-navigation.jsonc", navigation("old"));
  const old = await loadExperiment(oldPath);
  const current = await loadExperiment(write("new-navigation.jsonc", navigation("new")));
  assert.deepEqual(current.notices, []);
  assert.equal(old.canonical, current.canonical);
  assert.equal(old.hash, current.hash);
  assert.deepEqual(old.notices.map(formatIssue), [
    `${oldPath}:7:66: agents.rl2.policy.start_input: renamed to "no_action_done" (accepted; ` +
    'write the new value) (got "code")',
    `${oldPath}:9:97: agents.trpo.trpo.finetune: moved to evaluation.finetune (accepted; write ` +
    "it there)",
    `${oldPath}:12:45: ablations["rl2.policy.start_input"][0]: renamed to "action_0" ` +
    '(accepted; write the new value) (got "paper")',
    `${oldPath}:12:54: ablations["rl2.policy.start_input"][1]: renamed to "no_action_done" ` +
    '(accepted; write the new value) (got "code")',
  ]);
  assert.deepEqual(old.config.evaluation.finetune, { trajectories: 4, lr: 0.1, later_lr: 0.05 });
  assert.equal("finetune" in blockOf(old.config.agents.trpo, "trpo"), false);
  // A problem of the moved setting is placed where the file wrote it.
  const bad = write(
    "bad-navigation.jsonc",
    navigation("old").replace('"trajectories": 4', '"trajectories": 0'),
  );
  assert.deepEqual((await rejection(bad)).message.split("\n"), [
    `${bad}:9:127: agents.trpo.trpo.finetune.trajectories: expected a number >= 1 (got 0)`,
  ]);
});

Deno.test("a moved setting given in both places with other values, or ablated, is an error", async () => {
  const both = write(
    "both-navigation.jsonc",
    navigation("old").replace('"tasks": 2', '"tasks": 2, "finetune": { "trajectories": 5 }'),
  );
  assert.deepEqual((await rejection(both)).message.split("\n"), [
    `${both}:9:97: agents.trpo.trpo.finetune: moved to evaluation.finetune, which holds another ` +
    "value; keep only evaluation.finetune",
  ]);
  // The same value in both places is the same experiment.
  const same = write(
    "same-navigation.jsonc",
    navigation("old").replace('"tasks": 2', '"tasks": 2, "finetune": { "trajectories": 4 }'),
  );
  assert.equal(
    (await loadExperiment(same)).canonical,
    (await loadExperiment(
      write("new-again.jsonc", navigation("new")),
    )).canonical,
  );
  const ablated = renameKeys({
    agents: { trpo: { kind: "trpo" } },
    ablations: { "trpo.trpo.finetune.lr": [0.1, 0.2], "trpo.trpo": [{ finetune: {} }] },
  });
  assert.deepEqual(ablated.issues.map((i) => [formatPath(i.path), i.message]), [
    [
      'ablations["trpo.trpo.finetune.lr"]',
      "moved to evaluation.finetune, which is the same for every agent and cannot be ablated; " +
      "give it there, or write one experiment per value",
    ],
    [
      'ablations["trpo.trpo"][0].finetune',
      "moved to evaluation.finetune, which is the same for every agent and cannot be ablated; " +
      "give it there, or write one experiment per value",
    ],
  ]);
});

Deno.test("renamedResolved() and renameRunConfig() read results written in an older spelling", async () => {
  const current = await loadExperiment(write("resolved-new.jsonc", navigation("new")));
  const old = current.canonical.replace('"no_action_done"', '"code"');
  assert.notEqual(old, current.canonical);
  assert.equal(renamedResolved(old), current.canonical);
  assert.equal(renamedResolved(` ${current.canonical}\n`), current.canonical, "already current");
  assert.equal(renamedResolved("{ torn"), "{ torn");
  const run = {
    agent: "trpo",
    agent_config: { kind: "trpo", trpo: { max_kl: 0.01, finetune: { trajectories: 4 } } },
    ablation: {},
    evaluation: { tasks: 2 },
    seed: 0,
  };
  assert.deepEqual(renameRunConfig(run), {
    ...run,
    agent_config: { kind: "trpo", trpo: { max_kl: 0.01 } },
    evaluation: { tasks: 2, finetune: { trajectories: 4 } },
  });
  const point = {
    ...run,
    agent: "rl2",
    agent_config: { kind: "rl2", policy: { start_input: "code" } },
    ablation: { "rl2.policy.start_input": "paper" },
  };
  assert.deepEqual(renameRunConfig(point), {
    ...point,
    agent_config: { kind: "rl2", policy: { start_input: "no_action_done" } },
    ablation: { "rl2.policy.start_input": "action_0" },
  });
  const now = renameRunConfig(point);
  assert.equal(renameRunConfig(now), now, "a config in today's spelling is kept as it is");
});
