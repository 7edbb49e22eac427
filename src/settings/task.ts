/**
 * The types of the `task` block of an experiment file, one per kind of task. Written by
 * `deno task schema` from the zod schemas that declare each block (its fields, bounds, defaults and
 * descriptions), defaults filled in: edit those, then rerun it; a test fails when this file is out
 * of date.
 *
 * @module
 */

/** The `task` block of a Bernoulli-bandit experiment, defaults filled in. */
export interface BanditTaskConfig {
  /** The task kind. */
  kind: "bandit";
  /** k, the number of arms. Default: `5`. */
  arms: number;
  /** n, pulls (one-step episodes) per trial. */
  episodes: number;
}

/** The `task` block of a random tabular-MDP experiment, defaults filled in (the paper's). */
export interface MdpTaskConfig {
  /** The task kind. */
  kind: "mdp";
  /** |S|, the number of states (paper: 10). Default: `10`. */
  states: number;
  /** |A|, the number of actions (paper: 5). Default: `5`. */
  actions: number;
  /** Steps per episode (paper: 10). Default: `10`. */
  horizon: number;
  /** n, episodes per trial. */
  episodes: number;
  /**
   * μ(s,a) ~ N(mean, std²); bounded so that a trial's return (at most horizon × episodes × (|mean|
   * + 9 (std + reward_std)) ≈ 2e13) and its square stay finite in float32. Default:
   * `{"mean":1,"std":1}`.
   */
  reward_mean_prior: {
    /** Mean of the mean rewards, within ±1000. Default: `1`. */
    mean: number;
    /** Spread of the mean rewards, at most 1000. Default: `1`. */
    std: number;
  };
  /** Reward noise around μ(s,a) (paper: 1), at most 1000. Default: `1`. */
  reward_std: number;
  /**
   * Concentration of the Dirichlet prior of every transition row (paper: 1, flat), within [0.05,
   * 1000000]: below, a row's Gamma draws can all underflow to 0 and the row would be 0/0; above,
   * their sum overflows. Default: `1`.
   */
  dirichlet_alpha: number;
}

/** The `task` block of a randomized-CartPole experiment, defaults filled in (gym's). */
export interface CartPoleTaskConfig {
  /** The task kind. */
  kind: "cartpole";
  /** n, episodes per trial. */
  episodes: number;
  /** Steps after which an episode ends. Default: `500`. */
  max_steps: number;
  /**
   * Gravitational acceleration (m/s²), drawn per task uniformly from [lo, hi], within [0.001,
   * 1000]. Default: `[9.8,9.8]`.
   */
  gravity: [number, number];
  /**
   * Mass of the cart (kg), drawn per task uniformly from [lo, hi], within [0.001, 1000]. Default:
   * `[1,1]`.
   */
  cart_mass: [number, number];
  /**
   * Mass of the pole (kg), drawn per task uniformly from [lo, hi], within [0.001, 1000]. Default:
   * `[0.1,0.1]`.
   */
  pole_mass: [number, number];
  /**
   * Half the pole's length (gym `length`, m), drawn per task uniformly from [lo, hi], within
   * [0.001, 1000]. Default: `[0.5,0.5]`.
   */
  pole_length: [number, number];
  /** Probability that a task swaps the push directions of its two actions. Default: `0`. */
  invert_probability: number;
  /** Magnitude of the push (N), at most 10000. Default: `10`. */
  force_mag: number;
  /** Seconds per Euler step, at most 1. Default: `0.02`. */
  tau: number;
  /**
   * The policy observes [x, ẋ, θ, θ̇] divided by these, component-wise (1: gym's raw units); the
   * dynamics are unchanged; each within [0.001, 1000]: with the physics bounds the observation
   * stays finite in float32. Default: `[1,1,1,1]`.
   */
  observation_scale: [number, number, number, number];
}

/** The `task` block of a 2-D navigation experiment, defaults filled in (MAML's). */
export interface NavigationTaskConfig {
  /** The task kind. */
  kind: "navigation";
  /** n, episodes per trial. */
  episodes: number;
  /** Steps after which an episode ends (MAML: 100). Default: `100`. */
  max_steps: number;
  /**
   * Goals are drawn uniformly from [lo, hi]² (MAML: [−0.5, 0.5]); lo < hi, both within ±1000.
   * Default: `[-0.5,0.5]`.
   */
  goal_range: [number, number];
  /**
   * Each velocity component is clipped to [−max_speed, max_speed] (MAML: 0.1), at most 1000: a
   * trial's return (at least −episodes × max_steps × √2 × (max |goal| + max_steps × max_speed) ≈
   * −1.4e18) and its square stay finite in float32. Default: `0.1`.
   */
  max_speed: number;
  /**
   * The episode ends when both coordinates are within this of the goal's (0.01). Default: `0.01`.
   */
  goal_tolerance: number;
  /**
   * The policy's action is multiplied by this before clipping (1; the MAML authors' rllab launcher
   * normalises actions, which 0.1 reproduces), at most 1000. Default: `1`.
   */
  action_scale: number;
  /** The observation includes the goal: the oracle reference line. Default: `false`. */
  oracle: boolean;
}

/** The `task` block of a PEARL point-robot experiment, defaults filled in (the authors'). */
export interface PointRobotTaskConfig {
  /** The task kind. */
  kind: "point_robot";
  /** n, episodes per trial. */
  episodes: number;
  /** Steps of every episode (PEARL: 20). Default: `20`. */
  max_steps: number;
  /**
   * Goals on the upper half circle, start at the origin, reward only near the goal. Default:
   * `false`.
   */
  sparse: boolean;
  /** Sparse reward: 1 − distance within this distance of the goal (PEARL: 0.2). Default: `0.2`. */
  goal_radius: number;
  /** Sparse goals: this many evenly spaced angles on [0, π] (PEARL: 100 tasks). Default: `100`. */
  goal_count: number;
  /** An action in [−1, 1] moves the point by up to this per axis (PEARL: 0.1). Default: `0.1`. */
  max_speed: number;
  /** The observation includes the goal: the oracle reference line. Default: `false`. */
  oracle: boolean;
}

/** A `task` block of any kind. */
export type TaskConfig =
  | BanditTaskConfig
  | MdpTaskConfig
  | CartPoleTaskConfig
  | NavigationTaskConfig
  | PointRobotTaskConfig;
