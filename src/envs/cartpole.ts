/**
 * CartPole with randomized physics: the classic cart-pole of Barto, Sutton & Anderson (1983)
 * as in OpenAI gym's CartPole-v1 (Euler steps, termination at |x| > 2.4 or |θ| > 12°, reward 1
 * per step including the last), with gravity, masses and pole length drawn per task, and with
 * probability `invert_probability` a task whose push directions are swapped, so that a
 * memoryless policy must balance both signs with one controller. The observation is
 * [x, ẋ, θ, θ̇], each divided by its `observation_scale` (1 by default: gym's raw units).
 * Scaling matters for RL²: its input puts the observation beside a one-hot action and a reward
 * of size 1, and in raw units one push changes ẋ and θ̇ by only about 0.2–0.4, too little for a
 * freshly initialised GRU to tell which way the push went.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import type { Rng } from "../rng.ts";
import type { EnvBatch, TaskFamily } from "./env.ts";
import type { CartPoleTaskConfig } from "../settings/task.ts";
export type { CartPoleTaskConfig };

const X_THRESHOLD = 2.4;
const THETA_THRESHOLD = 12 * 2 * Math.PI / 360;

/** The zod type of a physics range `[lo, hi]` with a default. */
type PhysicsRange = z.ZodDefault<z.ZodTuple<[z.ZodNumber, z.ZodNumber], null>>;

/**
 * Bounds of CartPole's values (gym's are 9.8, 1, 0.1, 0.5 for the physics, 10 N, 0.02 s and 1):
 * within them the state stays below about 6e9 while an episode lasts (the worst case, found by
 * simulating every corner of the bounds, is a 1 g cart and pole of 1 mm pushed by 10⁴ N for one
 * second), so the observation, divided by at least 0.001, stays finite in float32.
 */
export const CARTPOLE_BOUNDS = {
  physics: [0.001, 1000],
  force_mag: 10_000,
  tau: 1,
  observation_scale: [0.001, 1000],
} as const;

function physicsRange(field: string, value: number, meaning: string): PhysicsRange {
  const [min, max] = CARTPOLE_BOUNDS.physics;
  return z.tuple([z.number(), z.number()])
    .refine(([lo, hi]) => lo > 0 && lo <= hi, `${field} must be [lo, hi] with 0 < lo <= hi`)
    .refine(
      ([lo, hi]) => lo >= min && hi <= max,
      `${field} must lie within [${min}, ${max}] (keeps the dynamics finite in float32)`,
    )
    .default([value, value])
    .describe(`${meaning}, drawn per task uniformly from [lo, hi], within [${min}, ${max}]`);
}

const [MIN_SCALE, MAX_SCALE] = CARTPOLE_BOUNDS.observation_scale;
const scale = () => z.number().min(MIN_SCALE).max(MAX_SCALE);

/** The zod schema of the `task` block for CartPole (defaults: gym's CartPole-v1). */
export const cartpoleTaskSchema: z.ZodObject<{
  kind: z.ZodLiteral<"cartpole">;
  episodes: z.ZodInt;
  max_steps: z.ZodDefault<z.ZodInt>;
  gravity: PhysicsRange;
  cart_mass: PhysicsRange;
  pole_mass: PhysicsRange;
  pole_length: PhysicsRange;
  invert_probability: z.ZodDefault<z.ZodNumber>;
  force_mag: z.ZodDefault<z.ZodNumber>;
  tau: z.ZodDefault<z.ZodNumber>;
  observation_scale: z.ZodDefault<
    z.ZodTuple<[z.ZodNumber, z.ZodNumber, z.ZodNumber, z.ZodNumber], null>
  >;
}, z.core.$strict> = z.strictObject({
  kind: z.literal("cartpole").describe("the task kind"),
  episodes: z.int().min(1).max(100000).describe("n, episodes per trial"),
  max_steps: z.int().min(1).max(100000).default(500).describe("steps after which an episode ends"),
  gravity: physicsRange("gravity", 9.8, "gravitational acceleration (m/s²)"),
  cart_mass: physicsRange("cart_mass", 1, "mass of the cart (kg)"),
  pole_mass: physicsRange("pole_mass", 0.1, "mass of the pole (kg)"),
  pole_length: physicsRange("pole_length", 0.5, "half the pole's length (gym `length`, m)"),
  invert_probability: z.number().min(0).max(1).default(0)
    .describe("probability that a task swaps the push directions of its two actions"),
  force_mag: z.number().positive().max(CARTPOLE_BOUNDS.force_mag).default(10)
    .describe(`magnitude of the push (N), at most ${CARTPOLE_BOUNDS.force_mag}`),
  tau: z.number().positive().max(CARTPOLE_BOUNDS.tau).default(0.02)
    .describe(`seconds per Euler step, at most ${CARTPOLE_BOUNDS.tau}`),
  observation_scale: z.tuple([scale(), scale(), scale(), scale()])
    .default([1, 1, 1, 1])
    .describe(
      "the policy observes [x, ẋ, θ, θ̇] divided by these, component-wise (1: gym's raw units); " +
        `the dynamics are unchanged; each within [${MIN_SCALE}, ${MAX_SCALE}]: with the physics ` +
        "bounds the observation stays finite in float32",
    ),
});

/** One CartPole task: its physics and whether action 1 pushes left instead of right. */
export interface CartPoleTask {
  /** Gravitational acceleration (m/s²). */
  readonly gravity: number;
  /** Mass of the cart (kg). */
  readonly cartMass: number;
  /** Mass of the pole (kg). */
  readonly poleMass: number;
  /** Half the pole's length. */
  readonly poleLength: number;
  /** True when action 1 pushes left (the push directions are swapped). */
  readonly inverted: boolean;
}

/**
 * Advances the cart-pole state `[x, ẋ, θ, θ̇]` stored at `state[offset..offset+4)` by one
 * Euler step of `tau` seconds under the horizontal force `force` (positive pushes right), in
 * place, and says whether the new state is out of bounds.
 */
export function cartPoleStep(
  state: Float64Array,
  offset: number,
  task: CartPoleTask,
  force: number,
  tau: number,
): boolean {
  const x = state[offset]!;
  const xDot = state[offset + 1]!;
  const theta = state[offset + 2]!;
  const thetaDot = state[offset + 3]!;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const totalMass = task.cartMass + task.poleMass;
  const poleMassLength = task.poleMass * task.poleLength;
  const temp = (force + poleMassLength * thetaDot * thetaDot * sin) / totalMass;
  const thetaAcc = (task.gravity * sin - cos * temp) /
    (task.poleLength * (4 / 3 - task.poleMass * cos * cos / totalMass));
  const xAcc = temp - poleMassLength * thetaAcc * cos / totalMass;
  const nextX = x + tau * xDot;
  const nextTheta = theta + tau * thetaDot;
  state[offset] = nextX;
  state[offset + 1] = xDot + tau * xAcc;
  state[offset + 2] = nextTheta;
  state[offset + 3] = thetaDot + tau * thetaAcc;
  return Math.abs(nextX) > X_THRESHOLD || Math.abs(nextTheta) > THETA_THRESHOLD;
}

/** The family of CartPole tasks with physics drawn from the ranges in `config`. */
export function cartpoleFamily(
  config: Omit<CartPoleTaskConfig, "kind" | "episodes">,
): TaskFamily<CartPoleTask> {
  const { max_steps: maxSteps, force_mag: forceMag, tau, observation_scale: scale } = config;
  const draw = (rng: Rng, [lo, hi]: readonly [number, number]) => rng.uniformIn(lo, hi);
  return {
    obsDim: 4,
    numActions: 2,
    maxEpisodeSteps: maxSteps,
    fixedEpisodeLength: false,
    sampleTask(rng: Rng): CartPoleTask {
      return {
        gravity: draw(rng, config.gravity),
        cartMass: draw(rng, config.cart_mass),
        poleMass: draw(rng, config.pole_mass),
        poleLength: draw(rng, config.pole_length),
        inverted: rng.bernoulli(config.invert_probability),
      };
    },
    createBatch(size: number): EnvBatch<CartPoleTask> {
      const tasks: (CartPoleTask | undefined)[] = new Array(size);
      const state = new Float64Array(size * 4);
      const t = new Int32Array(size);
      const obs = new Float32Array(size * 4);
      const observe = (slot: number) => {
        for (let j = 0; j < 4; j++) obs[slot * 4 + j] = state[slot * 4 + j]! / scale[j]!;
      };
      return {
        size,
        obs,
        setTask(slot, task) {
          tasks[slot] = task;
        },
        resetEpisode(slot, rng) {
          for (let j = 0; j < 4; j++) state[slot * 4 + j] = rng.uniformIn(-0.05, 0.05);
          t[slot] = 0;
          observe(slot);
        },
        step(actions, active, _rng, rewards, dones) {
          for (let i = 0; i < size; i++) {
            if (active[i] !== 1) continue;
            const task = tasks[i];
            if (task === undefined) throw new Error(`slot ${i} has no task`);
            const right = (actions[i] === 1) !== task.inverted;
            const terminated = cartPoleStep(state, i * 4, task, right ? forceMag : -forceMag, tau);
            observe(i);
            t[i] = t[i]! + 1;
            rewards[i] = 1;
            dones[i] = terminated || t[i]! >= maxSteps ? 1 : 0;
          }
        },
      };
    },
  };
}

type _CartPoleTaskConfigIsTheSchemaOutput = Assert<
  Same<CartPoleTaskConfig, z.output<typeof cartpoleTaskSchema>>
>;
