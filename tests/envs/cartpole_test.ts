import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import {
  cartpoleFamily,
  cartPoleStep,
  type CartPoleTask,
  cartpoleTaskSchema,
} from "../../src/envs/cartpole.ts";
import { createFamily, taskSchema } from "../../src/envs/registry.ts";

type State = [number, number, number, number];

const DEFAULT_TASK: CartPoleTask = {
  gravity: 9.8,
  cartMass: 1,
  poleMass: 0.1,
  poleLength: 0.5,
  inverted: false,
};
const HEAVY_TASK: CartPoleTask = {
  gravity: 3.7,
  cartMass: 2.5,
  poleMass: 0.7,
  poleLength: 1.3,
  inverted: false,
};
const X_LIMIT = 2.4;
const THETA_LIMIT = 12 * Math.PI / 180;

/**
 * One Euler step of the frictionless cart-pole, as in Florian (2007), "Correct equations for the
 * dynamics of the cart-pole system", eqs. (23)–(24) with μc = μp = 0 (Barto et al. 1983):
 *   θ̈ = [g sinθ + cosθ (−F − m l θ̇² sinθ)/(mc + m)] / [l (4/3 − m cos²θ/(mc + m))]
 *   ẍ = [F + m l (θ̇² sinθ − θ̈ cosθ)] / (mc + m)
 */
function florianStep(s: State, task: CartPoleTask, force: number, tau: number): State {
  const [x, v, th, w] = s;
  const { gravity: g, cartMass: mc, poleMass: m, poleLength: l } = task;
  const thetaAcc = (g * Math.sin(th) + Math.cos(th) * (-force - m * l * w * w * Math.sin(th)) /
      (mc + m)) / (l * (4 / 3 - m * Math.cos(th) ** 2 / (mc + m)));
  const xAcc = (force + m * l * (w * w * Math.sin(th) - thetaAcc * Math.cos(th))) / (mc + m);
  return [x + tau * v, v + tau * xAcc, th + tau * w, w + tau * thetaAcc];
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  for (let j = 0; j < expected.length; j++) {
    const a = actual[j]!;
    const e = expected[j]!;
    assert.ok(
      Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)),
      `component ${j}: ${a} vs ${e} (actual ${Array.from(actual)})`,
    );
  }
}

/** The family of a `task` block with the given keys (validated by the schema). */
function family(overrides: Record<string, unknown> = {}) {
  return cartpoleFamily(cartpoleTaskSchema.parse({ kind: "cartpole", episodes: 1, ...overrides }));
}

function slotObs(obs: Float32Array, slot: number): State {
  return Array.from(obs.subarray(slot * 4, slot * 4 + 4)) as State;
}

/** Runs one single-slot episode with the given action policy; returns the observations seen. */
function episode(
  f: ReturnType<typeof family>,
  task: CartPoleTask,
  seed: number,
  policy: (t: number, obs: State) => number,
) {
  const env = f.createBatch(1);
  const rng = Rng.derive(seed, "cartpole-test");
  env.setTask(0, task);
  env.resetEpisode(0, rng);
  const observations: State[] = [slotObs(env.obs, 0)];
  const actions = new Int32Array(1);
  const rewards = new Float32Array(1);
  const dones = new Uint8Array(1);
  for (let t = 0; t < 100000; t++) {
    actions[0] = policy(t, observations[t]!);
    env.step(actions, new Uint8Array([1]), rng, rewards, dones);
    assert.equal(rewards[0], 1);
    observations.push(slotObs(env.obs, 0));
    if (dones[0] === 1) return observations;
  }
  throw new Error("episode did not end");
}

/** A linear controller that keeps the default pole up: push towards where it is falling. */
function balance(_t: number, [, v, th, w]: State): number {
  return th + 0.2 * w + 0.01 * v > 0 ? 1 : 0;
}

Deno.test("cartPoleStep() follows the frictionless cart-pole equations", () => {
  const states: State[] = [
    [0, 0, 0, 0],
    [0.03, -0.02, 0.01, 0.04],
    [0.3, -0.7, 0.1, -1.2],
    [-1.5, 2, -0.19, 3],
    [2, 0.5, 0.15, -2.5],
    [0, 0, 1.1, 0.5],
    [0, 0, -2.8, -4],
  ];
  for (const task of [DEFAULT_TASK, HEAVY_TASK]) {
    for (const force of [10, -10, 23.5]) {
      for (const tau of [0.02, 0.05]) {
        for (const s of states) {
          const buffer = new Float64Array([9, 9, ...s, 9]);
          cartPoleStep(buffer, 2, task, force, tau);
          assertClose(buffer.subarray(2, 6), florianStep(s, task, force, tau), 1e-12);
          assert.deepEqual([buffer[0], buffer[1], buffer[6]], [9, 9, 9]);
        }
      }
    }
  }
});

Deno.test("cartPoleStep() pushes the cart the way the force points", () => {
  const right = new Float64Array(4);
  const left = new Float64Array(4);
  cartPoleStep(right, 0, DEFAULT_TASK, 10, 0.02);
  cartPoleStep(left, 0, DEFAULT_TASK, -10, 0.02);
  assert.ok(right[1]! > 0 && right[3]! < 0, `${right}`);
  assert.ok(left[1]! < 0 && left[3]! > 0, `${left}`);
});

Deno.test("cartPoleStep() terminates only strictly beyond |x| = 2.4 or |θ| = 12°", () => {
  const ends = (s: State) => cartPoleStep(new Float64Array(s), 0, DEFAULT_TASK, 10, 0.02);
  for (const sign of [1, -1]) {
    // With zero velocities, positions do not move during the step.
    assert.equal(ends([sign * X_LIMIT, 0, 0, 0]), false);
    assert.equal(ends([sign * (X_LIMIT + 1e-12), 0, 0, 0]), true);
    assert.equal(ends([0, 0, sign * THETA_LIMIT * (1 - 1e-12), 0]), false);
    assert.equal(ends([0, 0, sign * THETA_LIMIT * (1 + 1e-12), 0]), true);
    // Crossing during the step: x + τẋ and θ + τθ̇ decide.
    assert.equal(ends([sign * 2.39, sign * 0.49, 0, 0]), false);
    assert.equal(ends([sign * 2.39, sign * 0.51, 0, 0]), true);
    assert.equal(ends([0, 0, sign * 0.2, sign * 0.4]), false);
    assert.equal(ends([0, 0, sign * 0.2, sign * 0.5]), true);
  }
});

Deno.test("cartpoleFamily() batch steps follow the equations along random trajectories", () => {
  const f = family({
    gravity: [4, 16],
    cart_mass: [0.5, 2],
    pole_mass: [0.05, 0.5],
    pole_length: [0.3, 1.2],
    invert_probability: 0.5,
    force_mag: 7,
    tau: 0.03,
    max_steps: 60,
  });
  const size = 6;
  const env = f.createBatch(size);
  const rng = Rng.derive(1, "trajectories");
  const tasks = Array.from({ length: size }, () => f.sampleTask(rng));
  assert.ok(tasks.some((t) => t.inverted) && tasks.some((t) => !t.inverted));
  tasks.forEach((task, i) => {
    env.setTask(i, task);
    env.resetEpisode(i, rng);
  });
  const actions = new Int32Array(size);
  const active = new Uint8Array(size).fill(1);
  const rewards = new Float32Array(size);
  const dones = new Uint8Array(size);
  const steps = new Int32Array(size);
  let terminations = 0;
  for (let t = 0; t < 400; t++) {
    const before = Array.from({ length: size }, (_, i) => slotObs(env.obs, i));
    for (let i = 0; i < size; i++) actions[i] = rng.int(2);
    env.step(actions, active, rng, rewards, dones);
    for (let i = 0; i < size; i++) {
      const task = tasks[i]!;
      const pushRight = (actions[i] === 1) !== task.inverted;
      const expected = florianStep(before[i]!, task, pushRight ? 7 : -7, 0.03);
      const after = slotObs(env.obs, i);
      assertClose(after, expected, 1e-5);
      assert.equal(rewards[i], 1);
      steps[i]! += 1;
      const outside = Math.abs(after[0]) > X_LIMIT || Math.abs(after[2]) > THETA_LIMIT;
      assert.equal(dones[i], outside || steps[i] === 60 ? 1 : 0, `slot ${i} step ${steps[i]}`);
      if (dones[i] === 1) {
        if (outside) terminations++;
        steps[i] = 0;
        env.resetEpisode(i, rng);
      }
    }
  }
  assert.ok(terminations > 10, `${terminations} terminations`);
});

Deno.test("cartpoleFamily() ends an episode when the pole falls past 12°", () => {
  const observations = episode(family(), DEFAULT_TASK, 2, () => 1);
  const last = observations.at(-1)!;
  assert.ok(observations.length - 1 < 500);
  assert.ok(Math.abs(last[2]) > THETA_LIMIT && Math.abs(last[0]) <= X_LIMIT, `${last}`);
  for (const s of observations.slice(0, -1)) assert.ok(Math.abs(s[2]) <= THETA_LIMIT, `${s}`);
});

Deno.test("cartpoleFamily() ends an episode when the cart leaves |x| <= 2.4", () => {
  // A long pole under weak gravity barely tilts while the cart is pushed off the track.
  const task = { ...DEFAULT_TASK, gravity: 0.1, poleLength: 20 };
  const observations = episode(family(), task, 3, () => 1);
  const last = observations.at(-1)!;
  assert.ok(last[0] > X_LIMIT && Math.abs(last[2]) <= THETA_LIMIT, `${last}`);
  for (const s of observations.slice(0, -1)) assert.ok(Math.abs(s[0]) <= X_LIMIT, `${s}`);
});

Deno.test("cartpoleFamily() ends an episode after max_steps steps", () => {
  for (const maxSteps of [1, 7, 25]) {
    const f = family({ max_steps: maxSteps });
    assert.equal(f.maxEpisodeSteps, maxSteps);
    const observations = episode(f, DEFAULT_TASK, 4, balance);
    assert.equal(observations.length - 1, maxSteps);
    const last = observations.at(-1)!;
    assert.ok(Math.abs(last[0]) <= X_LIMIT && Math.abs(last[2]) <= THETA_LIMIT);
  }
});

Deno.test("cartpoleFamily() episodes with a balancing policy last max_steps (500)", () => {
  const f = family();
  assert.equal(f.maxEpisodeSteps, 500);
  const observations = episode(f, DEFAULT_TASK, 5, balance);
  assert.equal(observations.length - 1, 500);
});

Deno.test("cartpoleFamily() inverted tasks push the other way", () => {
  const inverted = { ...HEAVY_TASK, inverted: true };
  const f = family();
  for (const action of [0, 1]) {
    const plain = episode(f, HEAVY_TASK, 6, () => action);
    const swapped = episode(f, inverted, 6, () => 1 - action);
    assert.deepEqual(swapped, plain);
  }
  const rightOnInverted = episode(f, inverted, 7, () => 1);
  assert.ok(rightOnInverted[1]![1] < rightOnInverted[0]![1], "action 1 pushes left");
  const rightOnPlain = episode(f, HEAVY_TASK, 7, () => 1);
  assert.ok(rightOnPlain[1]![1] > rightOnPlain[0]![1], "action 1 pushes right");
});

Deno.test("cartpoleFamily() resetEpisode() starts uniformly in [-0.05, 0.05]^4", () => {
  const env = family().createBatch(1);
  env.setTask(0, DEFAULT_TASK);
  const rng = Rng.derive(8, "resets");
  const n = 20000;
  const sums = [0, 0, 0, 0];
  const squares = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    env.resetEpisode(0, rng);
    for (let j = 0; j < 4; j++) {
      const v = env.obs[j]!;
      assert.ok(Math.abs(v) <= 0.05, `${v}`);
      sums[j]! += v;
      squares[j]! += v * v;
    }
  }
  const variance = 0.1 ** 2 / 12;
  for (let j = 0; j < 4; j++) {
    assert.ok(Math.abs(sums[j]! / n) < 5 * Math.sqrt(variance / n), `mean ${sums[j]! / n}`);
    // Var of U² for U ~ U[-a, a] is a⁴/5 − a⁴/9 = 4a⁴/45.
    const se = Math.sqrt(4 * 0.05 ** 4 / 45 / n);
    assert.ok(Math.abs(squares[j]! / n - variance) < 5 * se, `variance ${squares[j]! / n}`);
  }
});

Deno.test("cartpoleFamily() sampleTask() draws physics uniformly within the ranges", () => {
  const ranges = {
    gravity: [5, 15],
    cart_mass: [0.5, 2],
    pole_mass: [0.05, 0.5],
    pole_length: [0.25, 1],
  } as const;
  const f = family({ ...ranges, invert_probability: 0.3 });
  const rng = Rng.derive(9, "tasks");
  const n = 20000;
  const tasks = Array.from({ length: n }, () => f.sampleTask(rng));
  const fields = {
    gravity: (t: CartPoleTask) => t.gravity,
    cart_mass: (t: CartPoleTask) => t.cartMass,
    pole_mass: (t: CartPoleTask) => t.poleMass,
    pole_length: (t: CartPoleTask) => t.poleLength,
  };
  for (const [name, get] of Object.entries(fields)) {
    const [lo, hi] = ranges[name as keyof typeof ranges];
    const values = tasks.map(get);
    for (const v of values) assert.ok(v >= lo && v <= hi, `${name} ${v}`);
    const mean = values.reduce((a, b) => a + b) / n;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    const uniformVariance = (hi - lo) ** 2 / 12;
    assert.ok(
      Math.abs(mean - (lo + hi) / 2) < 5 * Math.sqrt(uniformVariance / n),
      `${name} mean ${mean}`,
    );
    // Var of (U − mean)² for a uniform of width w is w⁴/80 − w⁴/144 = w⁴/180.
    const se = Math.sqrt((hi - lo) ** 4 / 180 / n);
    assert.ok(Math.abs(variance - uniformVariance) < 5 * se, `${name} variance ${variance}`);
  }
  const invertedShare = tasks.filter((t) => t.inverted).length / n;
  assert.ok(Math.abs(invertedShare - 0.3) < 5 * Math.sqrt(0.21 / n), `${invertedShare}`);
});

Deno.test("cartpoleFamily() sampleTask() with default ranges gives gym's physics", () => {
  const rng = Rng.derive(10, "tasks");
  for (let i = 0; i < 100; i++) assert.deepEqual(family().sampleTask(rng), DEFAULT_TASK);
  const always = family({ invert_probability: 1 });
  for (let i = 0; i < 100; i++) assert.equal(always.sampleTask(rng).inverted, true);
});

/** Observations, rewards and dones of 3 slots for 200 random steps from `seed`. */
function randomTrace(f: ReturnType<typeof family>, seed: number) {
  const rng = Rng.derive(seed, "determinism");
  const env = f.createBatch(3);
  const obs: number[] = [];
  const outcomes: number[] = [];
  for (let i = 0; i < 3; i++) {
    env.setTask(i, f.sampleTask(rng));
    env.resetEpisode(i, rng);
  }
  const actions = new Int32Array(3);
  const rewards = new Float32Array(3);
  const dones = new Uint8Array(3);
  for (let t = 0; t < 200; t++) {
    for (let i = 0; i < 3; i++) actions[i] = rng.int(2);
    env.step(actions, new Uint8Array([1, 1, 1]), rng, rewards, dones);
    obs.push(...env.obs);
    outcomes.push(...rewards, ...dones);
    for (let i = 0; i < 3; i++) if (dones[i] === 1) env.resetEpisode(i, rng);
  }
  return { obs, outcomes };
}

Deno.test("cartpoleFamily() observation_scale divides each observed component, dynamics unchanged", () => {
  const ranges = { gravity: [5, 15], pole_length: [0.3, 0.9], invert_probability: 0.5 };
  const scale = [2, 0.25, 0.5, 8];
  const raw = randomTrace(family(ranges), 7);
  const scaled = randomTrace(family({ ...ranges, observation_scale: scale }), 7);
  assert.deepEqual(scaled.outcomes, raw.outcomes);
  scaled.obs.forEach((o, k) => {
    const expected = raw.obs[k]! / scale[k % 4]!;
    assert.ok(Math.abs(o - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${k}: ${o}`);
  });
  assert.ok(raw.outcomes.some((x, k) => k % 6 >= 3 && x === 1), "some episode ended");
});

Deno.test("cartpoleFamily() is deterministic for one seed", () => {
  const f = family({ gravity: [5, 15], pole_length: [0.3, 0.9], invert_probability: 0.5 });
  assert.deepEqual(randomTrace(f, 11), randomTrace(f, 11));
  assert.notDeepEqual(randomTrace(f, 11), randomTrace(f, 12));
});

Deno.test("cartpoleFamily() step() leaves inactive slots untouched", () => {
  const f = family({ max_steps: 3 });
  const env = f.createBatch(3);
  const rng = Rng.derive(12, "inactive");
  for (let i = 0; i < 3; i++) {
    env.setTask(i, HEAVY_TASK);
    env.resetEpisode(i, rng);
  }
  const start = slotObs(env.obs, 1);
  const rewards = new Float32Array([-7, -7, -7]);
  const dones = new Uint8Array([9, 9, 9]);
  for (let t = 0; t < 5; t++) {
    env.step(new Int32Array([1, 1, 1]), new Uint8Array([1, 0, 1]), rng, rewards, dones);
    assert.deepEqual(slotObs(env.obs, 1), start);
    assert.equal(rewards[1], -7);
    assert.equal(dones[1], 9);
    for (const i of [0, 2]) if (dones[i] === 1) env.resetEpisode(i, rng);
  }
  env.step(new Int32Array([0, 1, 0]), new Uint8Array([0, 1, 0]), rng, rewards, dones);
  assertClose(slotObs(env.obs, 1), florianStep(start, HEAVY_TASK, 10, 0.02), 1e-5);
  assert.equal(dones[1], 0, "inactive steps do not count towards max_steps");
});

Deno.test("cartpoleFamily() step() rejects a slot without a task", () => {
  const env = family().createBatch(2);
  env.setTask(0, DEFAULT_TASK);
  env.resetEpisode(0, Rng.derive(13, "x"));
  const step = (active: number[]) =>
    env.step(
      new Int32Array(2),
      new Uint8Array(active),
      Rng.derive(13, "y"),
      new Float32Array(2),
      new Uint8Array(2),
    );
  step([1, 0]);
  assert.throws(() => step([1, 1]), /slot 1 has no task/);
});

Deno.test("cartpoleTaskSchema fills gym's defaults", () => {
  assert.deepEqual(cartpoleTaskSchema.parse({ kind: "cartpole", episodes: 2 }), {
    kind: "cartpole",
    episodes: 2,
    max_steps: 500,
    gravity: [9.8, 9.8],
    cart_mass: [1, 1],
    pole_mass: [0.1, 0.1],
    pole_length: [0.5, 0.5],
    invert_probability: 0,
    force_mag: 10,
    tau: 0.02,
    observation_scale: [1, 1, 1, 1],
  });
});

Deno.test("cartpoleTaskSchema rejects bad ranges, values and unknown keys", async (t) => {
  for (const field of ["gravity", "cart_mass", "pole_mass", "pole_length"]) {
    await t.step(`${field} with lo > hi or lo <= 0`, () => {
      for (const range of [[2, 1], [0, 1], [-1, 1]]) {
        const result = cartpoleTaskSchema.safeParse({
          kind: "cartpole",
          episodes: 1,
          [field]: range,
        });
        assert.equal(result.success, false);
        const issue = result.error!.issues[0]!;
        assert.deepEqual(issue.path, [field]);
        assert.match(
          issue.message,
          new RegExp(`^${field} must be \\[lo, hi\\] with 0 < lo <= hi$`),
        );
      }
    });
  }
  const bad = [
    { episodes: 1, colour: "red" },
    { episodes: 0 },
    {},
    { episodes: 1, max_steps: 0 },
    { episodes: 1, invert_probability: 1.5 },
    { episodes: 1, invert_probability: -0.1 },
    { episodes: 1, gravity: [1, 2, 3] },
    { episodes: 1, gravity: 9.8 },
    { episodes: 1, tau: 0 },
    { episodes: 1, force_mag: -10 },
  ];
  for (const block of bad) {
    assert.equal(cartpoleTaskSchema.safeParse({ kind: "cartpole", ...block }).success, false);
  }
  const unknown = cartpoleTaskSchema.safeParse({ kind: "cartpole", episodes: 1, colour: "red" });
  assert.equal(unknown.error!.issues[0]!.code, "unrecognized_keys");
  assert.ok(
    cartpoleTaskSchema.safeParse({ kind: "cartpole", episodes: 1, gravity: [3, 3] }).success,
  );
});

Deno.test("createFamily() builds CartPole from a cartpole task block", () => {
  const f = createFamily(taskSchema.parse({ kind: "cartpole", episodes: 3, max_steps: 200 }));
  assert.equal(f.obsDim, 4);
  assert.equal(f.numActions, 2);
  assert.equal(f.maxEpisodeSteps, 200);
  assert.equal(f.fixedEpisodeLength, false);
});
