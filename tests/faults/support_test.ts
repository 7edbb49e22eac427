/**
 * `validate` refuses, through the real task command lines, every file a run would refuse or
 * silently misread: settings an agent's update does not have on the task's actions (the rule
 * list of `src/experiment/support.ts`), task values whose returns or observations would not
 * stay finite in float32, keys JavaScript would drop (`__proto__`), and `extends` paths that
 * are absolute or hold a NUL; each message names the file, line and setting.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT, readIfExists, resultsDir, task } from "./_task.ts";

const root = resultsDir("support");

const RL2 = {
  kind: "rl2",
  policy: { gru: 4 },
  sampling: { iterations: 1, batch_timesteps: 400 },
  value: { epochs: 1 },
};

/** Writes an experiment file (its fields over a small navigation one); returns its path. */
async function experiment(name: string, fields: Record<string, unknown>): Promise<string> {
  const path = join(root, `${name}.jsonc`);
  const file = {
    name,
    task: { kind: "navigation", episodes: 2, max_steps: 10 },
    seeds: [0],
    agents: { rl2: RL2 },
    evaluation: { tasks: 4, every: 0 },
    backend: "wasm",
    ...fields,
  };
  await Deno.writeTextFile(join(PROJECT, path), JSON.stringify(file, null, 2));
  return path;
}

function noTrace(text: string): void {
  assert.doesNotMatch(text, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(text, /NaN|TypeError/);
}

Deno.test("validate refuses what the run refuses on continuous actions, naming each setting", async () => {
  const nav = await experiment("nav-trpo", {
    agents: { rl2: { ...RL2, trpo: { fvp_subsample: 0.5, entropy_coeff: 0.01 } } },
  });
  const ppo = await experiment("nav-ppo", {
    agents: { ppo: { kind: "ppo", sampling: { iterations: 1, batch_timesteps: 400 } } },
  });
  const finetuned = await experiment("nav-rl2-finetune", {
    evaluation: { tasks: 4, every: 0, finetune: {} },
  });
  const { code, stdout, stderr } = await task("validate", [nav, ppo, finetuned]);
  assert.equal(code, 1);
  noTrace(stderr);
  // The Gaussian policy's TRPO has an entropy bonus and a Fisher subsample: nothing to refuse.
  assert.match(stdout, /nav-trpo\.jsonc: ok/);
  assert.doesNotMatch(stderr, /nav-trpo\.jsonc/);
  assert.match(
    stderr,
    /nav-ppo\.jsonc:\d+:\d+: agents\.ppo\.kind: ppo has no update for continuous actions yet/,
  );
  assert.match(
    stderr,
    /nav-rl2-finetune\.jsonc:\d+:\d+: evaluation\.finetune: fine-tuning evaluates memoryless agents on continuous actions; no agent is a memoryless learner .* would be ignored/,
  );
  // The run refuses the file as validate does, before anything runs.
  const out = join(root, "nav-out");
  const ran = await task("run", [ppo, "--out", out]);
  assert.equal(ran.code, 1);
  assert.match(ran.stderr, /agents\.ppo\.kind: ppo has no update for continuous actions yet/);
  assert.equal(await readIfExists(join(out, "nav-ppo", "experiment.resolved.json")), undefined);
});

Deno.test("validate refuses settings a discrete task would ignore or a run cannot do", async () => {
  const bandit = { kind: "bandit", arms: 3, episodes: 2 };
  const continuous = await experiment("bandit-continuous", {
    task: bandit,
    agents: {
      maml: { kind: "maml_trpo", sampling: { iterations: 1 } },
      pearl: { kind: "pearl", sampling: { iterations: 1 } },
    },
  });
  const finetune = await experiment("bandit-finetune", {
    task: bandit,
    agents: { trpo: { kind: "trpo", sampling: { iterations: 1, batch_timesteps: 40 } } },
    evaluation: { tasks: 4, every: 0, finetune: {} },
  });
  const ablated = await experiment("nav-ablated", {
    agents: { rl2: { ...RL2, trpo: { finetune: {} } } },
    ablations: { "rl2.trpo.finetune": [{ trajectories: 20 }, { trajectories: 40 }] },
  });
  const bayes = await experiment("bayes-long", {
    task: { ...bandit, episodes: 50 },
    agents: { bayes: { kind: "bayes_optimal" } },
  });
  const greedy = await experiment("nav-greedy", {
    agents: { maml: { kind: "maml_trpo", sampling: { iterations: 1 } } },
    evaluation: { tasks: 4, every: 0, greedy: true },
  });
  const { code, stderr } = await task("validate", [continuous, finetune, ablated, bayes, greedy]);
  assert.equal(code, 1);
  noTrace(stderr);
  assert.match(
    stderr,
    /bandit-finetune\.jsonc:\d+:\d+: evaluation\.finetune: fine-tuning evaluates memoryless agents on continuous actions; bandit's actions are discrete, so it would be ignored/,
  );
  assert.match(
    stderr,
    /bandit-continuous\.jsonc:\d+:\d+: agents\.maml\.kind: maml_trpo needs a task with continuous actions/,
  );
  assert.match(
    stderr,
    /bandit-continuous\.jsonc:\d+:\d+: agents\.pearl\.kind: pearl needs a task with continuous actions/,
  );
  assert.match(
    stderr,
    /nav-ablated\.jsonc:\d+:\d+: ablations\["rl2\.trpo\.finetune"\]: moved to evaluation\.finetune, which is the same for every agent and cannot be ablated/,
  );
  assert.match(
    stderr,
    /bayes-long\.jsonc:\d+:\d+: agents\.bayes\.kind: bayes_optimal is solved for trials of at most 20 pulls; task\.episodes is 50/,
  );
  assert.match(
    stderr,
    /nav-greedy\.jsonc:\d+:\d+: evaluation\.greedy: agent "maml" adapts by .* greedy evaluation would not change/,
  );
});

Deno.test("validate bounds navigation, CartPole and MDP values so that the numbers stay finite", async () => {
  const huge = await experiment("nav-huge", {
    task: {
      kind: "navigation",
      episodes: 2,
      goal_range: [-1e30, 1e30],
      max_speed: 1e30,
      action_scale: 1e30,
    },
  });
  const empty = await experiment("nav-empty-range", {
    task: { kind: "navigation", episodes: 2, goal_range: [0.5, 0.5] },
  });
  const cartpole = await experiment("cartpole-huge", {
    task: {
      kind: "cartpole",
      episodes: 2,
      force_mag: 1e308,
      tau: 5,
      gravity: [9.8, 1e30],
      observation_scale: [1e-30, 1, 1, 1],
    },
    agents: { rl2: { ...RL2, sampling: { iterations: 1, batch_timesteps: 400 } } },
  });
  const mdp = await experiment("mdp-sparse", {
    task: { kind: "mdp", episodes: 2, dirichlet_alpha: 1e-300 },
    agents: { rl2: { ...RL2, sampling: { iterations: 1, batch_timesteps: 40 } } },
  });
  const refused = await task("validate", [huge, empty, cartpole, mdp]);
  assert.equal(refused.code, 1);
  noTrace(refused.stderr);
  for (
    const line of [
      /nav-huge\.jsonc:\d+:\d+: task\.goal_range\[0\]: expected a number >= -1000/,
      /nav-huge\.jsonc:\d+:\d+: task\.goal_range\[1\]: expected a number <= 1000/,
      /nav-huge\.jsonc:\d+:\d+: task\.max_speed: expected a number <= 1000/,
      /nav-huge\.jsonc:\d+:\d+: task\.action_scale: expected a number <= 1000/,
      /nav-empty-range\.jsonc:\d+:\d+: task\.goal_range: goal_range must be \[lo, hi\] with lo < hi/,
      /cartpole-huge\.jsonc:\d+:\d+: task\.force_mag: expected a number <= 10000/,
      /cartpole-huge\.jsonc:\d+:\d+: task\.tau: expected a number <= 1/,
      /cartpole-huge\.jsonc:\d+:\d+: task\.gravity: gravity must lie within \[0\.001, 1000\]/,
      /cartpole-huge\.jsonc:\d+:\d+: task\.observation_scale\[0\]: expected a number >= 0\.001/,
      /mdp-sparse\.jsonc:\d+:\d+: task\.dirichlet_alpha: expected a number >= 0\.05/,
    ]
  ) assert.match(refused.stderr, line);
  // The largest values within the bounds validate.
  const edge = await experiment("nav-edge", {
    task: {
      kind: "navigation",
      episodes: 2,
      goal_range: [-1000, 1000],
      max_speed: 1000,
      action_scale: 1000,
    },
  });
  const passed = await task("validate", [edge]);
  assert.equal(passed.code, 0, passed.stderr);
  const settings = (await readIfExists("docs/settings.md"))!;
  assert.match(settings, /both within ±1000/);
  assert.match(settings, /Magnitude of the push \(N\), at most 10000/);
});

Deno.test("validate refuses an agent named __proto__ instead of dropping it", async () => {
  const path = join(root, "proto.jsonc");
  const text = JSON.stringify(
    {
      name: "proto",
      task: { kind: "navigation", episodes: 2, max_steps: 10 },
      seeds: [0],
      agents: { rl2: RL2 },
    },
    null,
    2,
  ).replace('"agents": {', '"agents": {\n    "__proto__": { "kind": "trpo" },');
  await Deno.writeTextFile(join(PROJECT, path), text);
  const { code, stdout, stderr } = await task("validate", [path]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.match(stderr, /proto\.jsonc:12:5: the key "__proto__" is not allowed/);
});

Deno.test("extends refuses an absolute path and a NUL, naming the file that holds it", async () => {
  const absolute = join(root, "absolute.jsonc");
  await Deno.writeTextFile(
    join(PROJECT, absolute),
    '{\n  "extends": "/etc/passwd",\n  "name": "absolute"\n}\n',
  );
  const nul = join(root, "nul.jsonc");
  await Deno.writeTextFile(
    join(PROJECT, nul),
    '{\n  "extends": "base\\u0000.jsonc",\n  "name": "nul"\n}\n',
  );
  const { code, stderr } = await task("validate", [absolute, nul]);
  assert.equal(code, 1);
  noTrace(stderr);
  assert.match(
    stderr,
    /absolute\.jsonc:2:14: extends: expected a path relative to this file's folder, not an absolute path/,
  );
  assert.match(
    stderr,
    /nul\.jsonc:2:14: extends: expected a file path; this one holds a control character \(such as NUL\)/,
  );
  assert.doesNotMatch(stderr, /passwd:|usage:/);
});
