import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadExperiment, validateFiles } from "../../src/experiment/load.ts";
import { ExperimentError, formatIssue } from "../../src/experiment/source.ts";
import { isClassicAgent } from "../../src/experiment/schema.ts";
import { trpoSchema } from "../../src/learners/trpo.ts";
import { LEARNERS } from "../../src/learners/registry.ts";
import { samplingSchema, valueFitSchema } from "../../src/learners/config.ts";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const GOOD = join(HERE, "good", "bandit.jsonc");
const BAD = join(HERE, "bad");

/** Loads `path` and returns the ExperimentError it must throw. */
async function rejection(path: string): Promise<ExperimentError> {
  try {
    await loadExperiment(path);
  } catch (e) {
    if (e instanceof ExperimentError) return e;
    throw e;
  }
  throw new assert.AssertionError({ message: `${path} was accepted` });
}

/** Writes experiment texts into a fresh temp dir, which is removed afterwards. */
async function inTempDir(
  fn: (write: (text: string) => Promise<string>, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rl2lab-experiment-" });
  let count = 0;
  const write = async (text: string) => {
    const path = join(dir, `experiment-${count++}.jsonc`);
    await Deno.writeTextFile(path, text);
    return path;
  };
  try {
    await fn(write, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadExperiment() fills every default of a good file and drops $schema", async () => {
  const { config, path } = await loadExperiment(GOOD);
  assert.equal(path, GOOD);
  assert.equal("$schema" in config, false);
  // Defaults stated in the issue; the TRPO and value blocks come from their own schemas.
  assert.deepEqual(config.evaluation, { tasks: 100, seed: 1000003, every: 5, greedy: false });
  assert.equal(config.backend, "auto");
  assert.equal(config.checkpoint_every, 10);
  assert.deepEqual(config.task, { kind: "bandit", arms: 5, episodes: 10 });
  const rl2 = config.agents.rl2;
  assert(rl2 !== undefined && !isClassicAgent(rl2) && rl2.kind === "rl2");
  assert.deepEqual(rl2.policy, { gru: 32, norm: "weight" });
  assert.deepEqual(rl2.sampling, samplingSchema.parse({ iterations: 5, batch_timesteps: 1000 }));
  assert.deepEqual(rl2.trpo, trpoSchema.parse({}));
  assert.deepEqual(rl2.value, valueFitSchema.parse({}));
  const mlp = config.agents.mlp;
  assert(mlp !== undefined && !isClassicAgent(mlp) && mlp.kind === "trpo");
  assert.deepEqual(mlp.policy, { mlp: [64, 64], norm: "weight" });
  assert.deepEqual(config.agents.ucb1, {
    kind: "ucb1",
    c: 0.2,
    grid: { c: [0.1, 0.2, 0.5] },
    tuning: { tasks: 1000, seed: 9001 },
  });
  assert.deepEqual(config.agents.random, { kind: "random" });
  assert.deepEqual(config.expect, [
    { agent: "rl2", better_than: "random", confidence: 0.95 },
    { agent: "ucb1", at_least: 5, confidence: 0.9 },
  ]);
});

function assertSortedKeys(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(assertSortedKeys);
  if (typeof value !== "object" || value === null) return;
  const keys = Object.keys(value);
  assert.deepEqual(keys, [...keys].sort());
  Object.values(value).forEach(assertSortedKeys);
}

Deno.test("loadExperiment() hashes the canonical config with SHA-256", async () => {
  const a = await loadExperiment(GOOD);
  const b = await loadExperiment(GOOD);
  assert.equal(a.hash, b.hash);
  assert.equal(a.canonical, b.canonical);
  assert.equal(a.hash, createHash("sha256").update(a.canonical).digest("hex"));
  assert.doesNotMatch(a.canonical, /\s"|":\s|,\s"/);
  const parsed = JSON.parse(a.canonical);
  assertSortedKeys(parsed);
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(a.config)));
});

Deno.test("loadExperiment() hash ignores layout and written defaults, not numbers", async () => {
  const text = await Deno.readTextFile(GOOD);
  const original = (await loadExperiment(GOOD)).hash;
  await inTempDir(async (write) => {
    const relaid = await write(
      text
        .replace('  "baseline": "mlp",\n', "")
        .replace("{\n", '{ "baseline": "mlp", /* moved */\n')
        .replace(
          '"seeds": [0, 1, 2],',
          '"seeds": [0, 1, 2], "backend": "auto", "checkpoint_every": 10,',
        )
        .replace('"c": 0.2,', '"tuning": { "seed": 9001 }, "c": 0.2,')
        .replace(/\n +/g, "\n\t"),
    );
    assert.equal((await loadExperiment(relaid)).hash, original);
    const changed = await write(text.replace('"max_kl": 0.01', '"max_kl": 0.011'));
    assert.notEqual((await loadExperiment(changed)).hash, original);
    const reseeded = await write(text.replace('"seeds": [0, 1, 2]', '"seeds": [0, 1, 3]'));
    assert.notEqual((await loadExperiment(reseeded)).hash, original);
  });
});

/**
 * Every file of tests/experiment/bad and the lines its error must have, in order: each line
 * contains its fragment (or all of its fragments). Positions were counted in the files by
 * hand: line 1 is the file's comment, line 2 `// deno-fmt-ignore-file`.
 */
const BAD_FILES: Record<string, (string | string[])[]> = {
  "ablation_agent_missing.jsonc": [
    ':12:18: ablations["rl3.trpo.max_kl"]: no agent named "rl3"; did you mean "rl2"?',
  ],
  "ablation_batch_not_multiple.jsonc": [[
    ':12:57: ablations["rl2.sampling.batch_timesteps"][1]:',
    "multiple of the trial length 10 (10 episodes × 1 step)",
    "nearest valid values are 1000 and 1010 (got 1005)",
  ]],
  "ablation_kind.jsonc": [':12:18: ablations["rl2.kind"]: the agent kind cannot be ablated'],
  "ablation_path_missing.jsonc": [[
    ':12:18: ablations["rl2.policy.gruu"]: agent "rl2" has no field "policy.gruu"',
    'did you mean "rl2.policy.gru"?',
  ]],
  "ablation_value_invalid.jsonc": [
    ':12:44: ablations["rl2.trpo.max_kl"][1]: expected a positive number (got -0.5)',
  ],
  "bad_agent_name.jsonc": [[':8:5: agents.RL2: invalid key "RL2"', "starts with a letter"]],
  "bad_backend.jsonc": [
    ':12:14: backend: expected one of "auto", "ort", "wasm", "cpu", "node"; did you mean "cpu"? (got "gpu")',
  ],
  "bad_name.jsonc": [[":4:11: name: expected lowercase letters", '(got "Bandits K5")']],
  "baseline_missing_agent.jsonc": [
    ':12:15: baseline: no agent named "mpl"; did you mean "mlp"? (got "mpl")',
  ],
  "baseline_wrong_task.jsonc": [
    ':8:23: agents.ucb1.kind: baseline "ucb1" is for bandit tasks, this experiment\'s task is "mdp"',
  ],
  "batch_not_multiple.jsonc": [
    ":8:79: agents.rl2.sampling.batch_timesteps: expected a multiple of the trial length 100 " +
    "(10 episodes × 10 steps); the nearest valid values are 2400 and 2500 (got 2450)",
  ],
  "classic_param_invalid.jsonc": [":8:36: agents.ucb1.c: expected a number >= 0 (got -1)"],
  "classic_param_misspelt.jsonc": [
    ':8:31: agents.ucb1.cc: unknown key "cc"; did you mean "c"?',
  ],
  "comments_only.jsonc": [":1:1: no JSON value found"],
  "pearl_context_batch_over_buffer.jsonc": [
    ":8:127: agents.pearl.pearl.context_batch: a context batch of 128 is larger than a buffer " +
    "holds (buffer_size 100) (got 128)",
  ],
  "pearl_exploration_whole_trial.jsonc": [
    ":8:105: agents.pearl.pearl.exploration_trajectories: every episode of the trial " +
    "(task.episodes 3) would be an exploration trajectory with z from the prior, none acting " +
    "on the posterior: at most 2 (got 3)",
  ],
  "pearl_latent_zero.jsonc": [
    ":8:73: agents.pearl.sampling.gamma: expected a number < 1 (got 1)",
    ":8:99: agents.pearl.pearl.latent: expected a number >= 1 (got 0)",
  ],
  "confidence_out_of_range.jsonc": [
    ":12:68: expect[0].confidence: expected a number < 1 (got 1)",
  ],
  "duplicate_ablation_value.jsonc": [
    ':12:45: ablations["rl2.policy.gru"][2]: duplicate value (first at index 0) (got 32)',
  ],
  "duplicate_key.jsonc": [':12:3: duplicate key "seeds" (first at 6:3)'],
  "duplicate_seeds.jsonc": [":6:19: seeds[2]: duplicate seed (first at index 0) (got 0)"],
  "empty.jsonc": ["empty.jsonc: file is empty"],
  "empty_seeds.jsonc": [":6:12: seeds: expected at least 1 item (got [])"],
  "expect_missing_agent.jsonc": [
    ':12:25: expect[0].agent: no agent named "rl22"; did you mean "rl2"?',
  ],
  "expect_without_claim.jsonc": [
    ":12:14: expect[0]: expected at least one of better_than, at_least, not_below, " +
    "better_than_episode",
  ],
  "expect_episode_beyond_trial.jsonc": [
    ":12:43: expect[0].episode: expected an episode of the trial, 1 to 10 (got 11)",
  ],
  "expect_episode_against_itself.jsonc": [
    ":12:69: expect[0].better_than_episode: expected an episode other than `episode` (got 2)",
  ],
  "expect_other_episode_alone.jsonc": [
    ":12:14: expect[0].episode: expected `episode` with `better_than_episode` (the episode that does better)",
  ],
  "grid_unknown_param.jsonc": [
    ':8:41: agents.ucb1.grid.cc: unknown key "cc"; did you mean "c"?',
  ],
  "grid_value_invalid.jsonc": [":8:52: agents.ucb1.grid.c[1]: expected a number >= 0 (got -1)"],
  "huge_number.jsonc": [[
    ":8:57: agents.rl2.sampling.iterations: number is out of range",
    "(got 1e400)",
  ]],
  "huge_seed.jsonc": [[
    ":6:13: seeds[0]: expected an integer from -9007199254740991 to 9007199254740991",
    "(got 99999999999999999999)",
  ]],
  "tuning_seed_is_evaluation_seed.jsonc": [[
    ":9:80: agents.ucb1.tuning.seed: expected a seed other than evaluation.seed (42)",
    "tuning tasks stay apart from the held-out tasks",
  ]],
  "invalid_jsonc.jsonc": [":6:3: expected ',' between items (got \"seeds\")"],
  "missing_agent_kind.jsonc": [
    `:8:13: agents.ucb1.kind: required field is missing; expected one of ${
      [...LEARNERS.map((l) => l.kind), "random"].map((k) => `"${k}"`).join(", ")
    }`,
  ],
  "missing_required.jsonc": [":3:1: task: required field is missing"],
  "nan_string.jsonc": [':8:107: agents.rl2.trpo.max_kl: expected a number (got "NaN")'],
  "negative_budget.jsonc": [
    ":8:79: agents.rl2.sampling.batch_timesteps: expected a number >= 1 (got -1000)",
  ],
  "no_agents.jsonc": [":7:13: agents: expected at least one agent"],
  "not_an_object.jsonc": [
    ":3:1: (top level): expected an object of experiment fields (got [1, 2, 3])",
  ],
  "overlapping_ablations.jsonc": [
    ':12:51: ablations["mlp.policy.mlp"]: overlaps the ablation of "mlp.policy"',
  ],
  "paper_unknown_agent.jsonc": [
    ':12:70: paper.values.gittins: no agent named "gittins"; expected one of "rl2", "mlp", "ucb1"',
  ],
  "seeds_not_integers.jsonc": [
    ":6:16: seeds[1]: expected an integer (got 1.5)",
    ":6:21: seeds[2]: expected a number >= 0 (got -2)",
  ],
  "several_problems.jsonc": [
    ":5:43: task.episodes: expected a number >= 1 (got 0)",
    ':8:19: evaluation.taks: unknown key "taks"; did you mean "tasks"?',
    ":9:23: checkpoint_every: expected a number >= 1 (got 0)",
  ],
  "unknown_agent_kind.jsonc": [':8:22: agents.ucb.kind: unknown kind "ucb"; did you mean "ucb1"?'],
  "unknown_key_misspelt.jsonc": [
    ':8:97: agents.rl2.trpo.max_kll: unknown key "max_kll"; did you mean "max_kl"?',
  ],
  "unknown_top_level_key.jsonc": [
    ":3:1: seeds: required field is missing; expected an array",
    ':6:3: seed: unknown key "seed"; did you mean "seeds"?',
  ],
  "wrong_task_kind.jsonc": [
    ':5:21: task.kind: unknown kind "bandits"; did you mean "bandit"? (got "bandits")',
  ],
  "wrong_type.jsonc": [':5:39: task.arms: expected a number (got "5")'],
  "zero_iterations.jsonc": [
    ":8:57: agents.rl2.sampling.iterations: expected a number >= 1 (got 0)",
  ],
  "renamed_key_twice.jsonc": [
    ':9:16: agents.ppo.ppo.entropy_coef: "entropy_coef" is the old name of "entropy_coeff", ' +
    'which is also given; keep only "entropy_coeff"',
  ],
  "moved_to_sampling.jsonc": [
    ':8:39: agents.rl2.trpo.iterations: moved to the agent\'s sampling block: write "sampling": ' +
    '{ "iterations": … } (sampling and advantage settings have their own block, shared by every ' +
    "learner)",
    ':8:73: agents.rl2.trpo.batch_timesteps: moved to the agent\'s sampling block: write ' +
    '"sampling": { "batch_timesteps": … } (sampling and advantage settings have their own block, ' +
    "shared by every learner)",
  ],
};

Deno.test("loadExperiment() rejects every file of the bad corpus with its message", async (t) => {
  const files = [...Deno.readDirSync(BAD)].map((e) => e.name).sort();
  assert.deepEqual(files, Object.keys(BAD_FILES).sort(), "every bad file has expectations");
  for (const [name, expected] of Object.entries(BAD_FILES)) {
    await t.step(name, async () => {
      const path = join(BAD, name);
      const error = await rejection(path);
      const lines = error.message.split("\n");
      assert.equal(lines.length, error.issues.length, "one line per issue");
      assert.equal(lines.length, expected.length, `one issue per problem:\n${error.message}`);
      expected.forEach((fragments, i) => {
        const line = lines[i]!;
        assert(line.startsWith(path), line);
        for (const fragment of [fragments].flat()) {
          assert(line.includes(fragment), `missing ${fragment} in\n${line}`);
        }
      });
    });
  }
});

/** Syntax errors deno fmt cannot parse, so they are written by the test instead of committed. */
const SYNTAX_CASES: [string, string, string][] = [
  [
    "trailing garbage",
    '{ "name": "a" }\nextra\n',
    ":2:1: unexpected content after the end of the document (got extra)",
  ],
  [
    "a second document",
    '{ "name": "a" } { "b": 1 }',
    ":1:17: unexpected content after the end of the document (got {)",
  ],
  [
    "a NaN literal",
    '{\n  "name": NaN\n}',
    ":2:11: NaN and Infinity are not JSON numbers (got NaN)",
  ],
  [
    "an Infinity literal",
    '{ "x": -Infinity }',
    ":1:8: NaN and Infinity are not JSON numbers (got -Infinity)",
  ],
  ["single quotes", "{ 'name': 'a' }", ":1:3: strings need double quotes (got 'name')"],
  ["an unquoted key", '{ name: "a" }', ":1:3: property names need double quotes (got name)"],
  ["an unclosed string", '{ "name": "a', ':1:11: string is not closed (got "a)'],
  ["an unclosed object", '{ "name": "a"', ":1:14: unexpected end of file; expected '}'"],
  ["an unclosed comment", '{ "name": "a" /* ', ":1:15: comment is not closed (got /*)"],
  ["a bad escape", '{ "name": "a\\q" }', ':1:11: invalid escape character (got "a\\q")'],
];

Deno.test("loadExperiment() reports invalid JSONC at its line and column", async (t) => {
  for (const [what, text, fragment] of SYNTAX_CASES) {
    await t.step(what, () =>
      inTempDir(async (write) => {
        const path = await write(text);
        assert.equal((await rejection(path)).message, `${path}${fragment}`);
      }));
  }
});

Deno.test("loadExperiment() rejects a directory, a missing path and an oversized file", async () => {
  assert.equal(
    (await rejection(BAD)).message,
    `${BAD}: is a directory; expected an experiment file`,
  );
  const missing = join(BAD, "no-such-file.jsonc");
  assert.equal((await rejection(missing)).message, `${missing}: no such file`);
  await inTempDir(async (write) => {
    const big = await write(`{ "description": "${"x".repeat(1 << 20)}" }`);
    const message = (await rejection(big)).message;
    assert.equal(message, `${big}: file is too large (${(1 << 20) + 21} bytes; at most 1048576)`);
  });
});

Deno.test("loadExperiment() reads a file with a byte-order mark", async () => {
  const text = await Deno.readTextFile(GOOD);
  await inTempDir(async (write) => {
    const path = await write(`\uFEFF${text}`);
    assert.equal((await loadExperiment(path)).hash, (await loadExperiment(GOOD)).hash);
  });
});

async function snapshot(dir: string): Promise<string[]> {
  const entries: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    const info = await Deno.stat(path);
    const content = entry.isFile ? await Deno.readTextFile(path) : "";
    entries.push(`${entry.name} ${info.size} ${info.mtime?.getTime()} ${content}`);
  }
  return entries.sort();
}

Deno.test("loadExperiment() and validateFiles() write nothing", async () => {
  await inTempDir(async (_, dir) => {
    const results = join(dir, "results");
    await Deno.mkdir(results);
    const names = [...Object.keys(BAD_FILES), "good.jsonc"];
    for (const name of names) {
      await Deno.copyFile(name === "good.jsonc" ? GOOD : join(BAD, name), join(dir, name));
    }
    const before = await snapshot(dir);
    const paths = names.map((n) => join(dir, n));
    const cwd = Deno.cwd();
    Deno.chdir(dir);
    try {
      for (const path of paths) await loadExperiment(path).catch(() => undefined);
      await validateFiles(paths);
    } finally {
      Deno.chdir(cwd);
    }
    assert.deepEqual(await snapshot(dir), before);
    assert.deepEqual(await snapshot(results), []);
  });
});

Deno.test("validateFiles() returns the issues of each file in order", async () => {
  const missing = join(BAD, "missing.jsonc");
  const results = await validateFiles([GOOD, join(BAD, "several_problems.jsonc"), missing]);
  assert.deepEqual(results.map((r) => r.path), [
    GOOD,
    join(BAD, "several_problems.jsonc"),
    missing,
  ]);
  assert.deepEqual(results.map((r) => r.issues.length), [0, 3, 1]);
  assert.deepEqual(
    results[1]!.issues.map((i) => [i.line, i.column, i.path]),
    [[5, 43, "task.episodes"], [8, 19, "evaluation.taks"], [9, 23, "checkpoint_every"]],
  );
});

Deno.test("formatIssue() writes FILE:LINE:COL: PATH: message (got VALUE), leaving out the unknown", () => {
  assert.equal(
    formatIssue({
      file: "a.jsonc",
      line: 3,
      column: 7,
      path: "seeds[1]",
      message: "m",
      got: "1.5",
    }),
    "a.jsonc:3:7: seeds[1]: m (got 1.5)",
  );
  assert.equal(formatIssue({ file: "a.jsonc", message: "no such file" }), "a.jsonc: no such file");
  assert.equal(formatIssue({ file: "a", line: 1, column: 2, message: "m" }), "a:1:2: m");
});
