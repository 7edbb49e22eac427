import assert from "node:assert/strict";
import { BASELINES } from "../../src/baselines/registry.ts";
import type { TaskConfig } from "../../src/envs/registry.ts";
import { isClassicAgent } from "../../src/experiment/schema.ts";
import { canonicalJson } from "../../src/canonical.ts";
import { formatPath, suggestion } from "../../src/experiment/issues.ts";
import { trialSteps, validateAgent, validateExperiment } from "../../src/experiment/rules.ts";
import { LEARNERS } from "../../src/learners/registry.ts";

const bandit: TaskConfig = { kind: "bandit", arms: 5, episodes: 7 };
const mdp = { kind: "mdp", episodes: 10 };
const TASKS: Record<string, unknown> = { bandit, mdp, cartpole: { kind: "cartpole", episodes: 2 } };

function rl2(batch: number) {
  return { kind: "rl2", sampling: { iterations: 1, batch_timesteps: batch } };
}

Deno.test("suggestion() proposes the closest key within a third of its length", () => {
  assert.equal(suggestion("gammma", ["gamma", "gae_lambda"]), '; did you mean "gamma"?');
  assert.equal(suggestion("agnets", ["agents", "seeds"]), '; did you mean "agents"?');
  assert.equal(suggestion("Seeds", ["seeds"]), '; did you mean "seeds"?');
  assert.equal(suggestion("xyz", ["gamma", "max_kl"]), '; expected one of "gamma", "max_kl"');
  assert.equal(suggestion("c", ["c"], (k) => `ucb1.${k}`), '; did you mean "ucb1.c"?');
  assert.equal(suggestion("x", []), "");
});

Deno.test("canonicalJson() sorts keys at every level and drops undefined", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: null, u: undefined } }),
    '{"a":{"c":null,"d":[1,{"e":2,"f":1}]},"b":1}',
  );
});

Deno.test("formatPath() writes identifiers with dots, indices and other keys in brackets", () => {
  assert.equal(formatPath([]), "(top level)");
  assert.equal(formatPath(["agents", "rl2", "trpo", "max_kl"]), "agents.rl2.trpo.max_kl");
  assert.equal(formatPath(["seeds", 2]), "seeds[2]");
  assert.equal(formatPath(["ablations", "rl2.policy.gru", 0]), 'ablations["rl2.policy.gru"][0]');
});

function resolveTask(task: unknown): TaskConfig {
  const check = validateExperiment({ name: "x", task, seeds: [0], agents: { r: rl2(1) } });
  assert(check.task !== undefined);
  return check.task;
}

Deno.test("trialSteps() is episodes × steps for fixed-length tasks only", () => {
  assert.equal(trialSteps(bandit), 7);
  assert.equal(trialSteps(resolveTask({ kind: "mdp", horizon: 5, episodes: 4 })), 20);
  assert.equal(trialSteps(resolveTask({ kind: "cartpole", episodes: 2 })), undefined);
});

Deno.test("validateAgent() needs a TRPO batch of whole trials and names the nearest ones", () => {
  assert.deepEqual(validateAgent(rl2(105), bandit).issues, []);
  assert.deepEqual(validateAgent(rl2(100), bandit).issues, [{
    path: ["sampling", "batch_timesteps"],
    message: "expected a multiple of the trial length 7 (7 episodes × 1 step); " +
      "the nearest valid values are 98 and 105",
  }]);
  assert.match(validateAgent(rl2(3), bandit).issues[0]!.message, /the nearest valid value is 7$/);
  const trpo = { kind: "trpo", sampling: { iterations: 1, batch_timesteps: 150 } };
  const mdpTask = resolveTask({ kind: "mdp", episodes: 10, horizon: 10 });
  assert.match(validateAgent(trpo, mdpTask).issues[0]!.message, /100 and 200$/);
  const cartpole = resolveTask({ kind: "cartpole", episodes: 2 });
  assert.deepEqual(validateAgent(rl2(12345), cartpole).issues, []);
});

Deno.test("validateAgent() resolves every classic baseline of the registry with its defaults", () => {
  const kinds = (task: string) => BASELINES.filter((b) => b.task === task).map((b) => b.kind);
  assert(kinds("bandit").includes("random") && kinds("bandit").includes("ucb1"));
  assert(kinds("mdp").includes("random"));
  for (const spec of BASELINES) {
    const task = resolveTask(TASKS[spec.task]);
    const check = validateAgent({ kind: spec.kind }, task);
    assert.deepEqual(check.issues, [], `${spec.kind} for ${spec.task}`);
    const defaults = spec.params.parse({});
    const tuning = Object.keys(defaults).length > 0 ? { tuning: { tasks: 1000, seed: 9001 } } : {};
    assert.deepEqual(check.agent, { kind: spec.kind, ...defaults, ...tuning });
    assert(isClassicAgent(check.agent!));
  }
});

Deno.test("validateAgent() checks a baseline's params with its own schema", () => {
  const ucb1 = (extra: object) => validateAgent({ kind: "ucb1", ...extra }, bandit).issues;
  assert.deepEqual(ucb1({ c: 0.5 }), []);
  assert.deepEqual(ucb1({ c: -1 }), [{ path: ["c"], message: "expected a number >= 0" }]);
  assert.deepEqual(ucb1({ cc: 1 }), [{
    path: ["cc"],
    atKey: true,
    message: 'unknown key "cc"; did you mean "c"?',
  }]);
  assert.deepEqual(ucb1({ grid: { c: [0.1, 0.1, -2] } }), [
    { path: ["grid", "c", 1], message: "duplicate value (first at index 0)" },
    { path: ["grid", "c", 2], message: "expected a number >= 0" },
  ]);
  const mdpTask = resolveTask(mdp);
  assert.deepEqual(validateAgent({ kind: "ucb1" }, mdpTask).issues, [{
    path: ["kind"],
    message: 'baseline "ucb1" is for bandit tasks, this experiment\'s task is "mdp"',
  }]);
  assert.deepEqual(validateAgent({ kind: "random" }, mdpTask).issues, []);
});

Deno.test("isClassicAgent() is false exactly for the kinds of the learner registry", () => {
  for (const learner of LEARNERS) {
    const block = learner.shape === "own-loop"
      ? { kind: learner.kind, sampling: { iterations: 7 } }
      : { ...rl2(7), kind: learner.kind };
    const check = validateAgent(block, bandit);
    const agent = check.agent;
    assert.ok(agent !== undefined, learner.kind);
    assert.equal(isClassicAgent(agent), false, learner.kind);
  }
  assert.equal(isClassicAgent({ kind: "random" }), true);
});

Deno.test("validateAgent() says where each setting of the old trpo block moved, and nothing else", () => {
  const old = { kind: "rl2", trpo: { iterations: 1, batch_timesteps: 7, max_kl: 0.5, gamma: 2 } };
  assert.deepEqual(
    validateAgent(old, bandit).issues.map((i) => [i.path, i.message]),
    [
      "iterations",
      "batch_timesteps",
      "gamma",
    ].map((key) => [
      ["trpo", key],
      `moved to the agent's sampling block: write "sampling": { "${key}": … } (sampling and ` +
      "advantage settings have their own block, shared by every learner)",
    ]),
  );
  assert.deepEqual(validateAgent({ kind: "ucb1", trpo: { iterations: 1 } }, bandit).issues, [{
    path: ["trpo"],
    atKey: true,
    message: 'unknown key "trpo"; expected one of "c", "kind", "grid", "tuning"',
  }]);
});

Deno.test("validateExperiment() rejects a top level that is not an object", () => {
  for (const data of [[1], "x", null, 3]) {
    assert.deepEqual(validateExperiment(data).issues, [{
      path: [],
      message: "expected an object of experiment fields",
    }]);
  }
});

Deno.test("validateExperiment() returns the resolved config only without issues", () => {
  const good = {
    name: "x",
    task: { kind: "bandit", episodes: 7 },
    seeds: [0],
    agents: { r: rl2(14) },
  };
  const check = validateExperiment({ ...good, $schema: "../schema.json" });
  assert.deepEqual(check.issues, []);
  assert.equal(check.config?.name, "x");
  assert.equal(check.config !== undefined && "$schema" in check.config, false);
  const bad = validateExperiment({ ...good, baseline: "q" });
  assert.equal(bad.config, undefined);
  assert.deepEqual(bad.issues, [{
    path: ["baseline"],
    message: 'no agent named "q"; did you mean "r"?',
  }]);
});
