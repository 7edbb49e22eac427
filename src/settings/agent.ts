/**
 * The types of the blocks of an agent of an experiment file: its network, sampling, value fit,
 * update and tuning. Written by `deno task schema` from the zod schemas that declare each block
 * (its fields, bounds, defaults and descriptions), defaults filled in: edit those, then rerun it; a
 * test fails when this file is out of date.
 *
 * @module
 */

/** The GRU network of an RL² agent (the value network has the same shape). */
export interface GruPolicyConfig {
  /** GRU units (paper: 256). Default: `256`. */
  gru: number;
  /** Weight normalisation (paper), layer normalisation, or none. Default: `"weight"`. */
  norm: "weight" | "layer" | "none";
  /**
   * The GRU candidate's nonlinearity, for policy and value networks; tanh when absent (the paper's
   * appendix and its authors' code: relu).
   */
  activation?: "tanh" | "relu";
  /**
   * Weight-normalisation gains start at the initial columns' norms (norm, when absent) or at 1
   * (one: every column starts with unit norm, as in the authors' code).
   */
  gain_init?: "norm" | "one";
  /**
   * The input at a trial's first step: the previous action is action 0 (a zero vector on continuous
   * actions), reward 0, done 0 (action_0, when absent: the paper's appendix), or there is no
   * previous action, reward 0, done 1 (no_action_done: the authors' code).
   */
  start_input?: "action_0" | "no_action_done";
}

/** The MLP network of a memoryless agent, on the observation. */
export interface MlpPolicyConfig {
  /** Hidden layer sizes (ReLU). Default: `[64,64]`. */
  mlp: number[];
  /** Weight normalisation (paper), layer normalisation, or none. Default: `"weight"`. */
  norm: "weight" | "layer" | "none";
}

/** How a learner samples its batch and estimates advantages, defaults filled in. */
export interface SamplingConfig {
  /** Policy iterations, one batch and one update each (paper: up to 1000 for bandits). */
  iterations: number;
  /** Environment steps per iteration (paper: 250000); whole trials are sampled. */
  batch_timesteps: number;
  /** Discount over the whole trial (paper: 0.99). Default: `0.99`. */
  gamma: number;
  /** GAE λ (paper: 0.3). Default: `0.3`. */
  gae_lambda: number;
  /** Standardise advantages per batch. Default: `true`. */
  normalize_advantages: boolean;
  /**
   * Trials per forward/backward chunk: bounds memory; results agree up to float rounding. Default:
   * `1024`.
   */
  chunk_trials: number;
}

/** How a learner fits its value network on every iteration's batch. */
export interface ValueFitConfig {
  /** Passes over the batch per iteration. Default: `2`. */
  epochs: number;
  /** Minibatches (of trials) per epoch. Default: `2`. */
  minibatches: number;
  /** Adam step size. Default: `0.003`. */
  learning_rate: number;
  /**
   * Fit standardised returns (each batch's mean and spread) rather than raw returns. Default:
   * `true`.
   */
  normalize_targets: boolean;
  /** Whole trials per minibatch, replacing `minibatches` when given (authors' code: 128). */
  minibatch_trials?: number;
  /** Clip every gradient entry to [−c, c] (authors' code: 40); none when absent. */
  gradient_clip?: number;
}

/** TRPO hyperparameters, defaults filled in (the paper's where it gives one). */
export interface TrpoConfig {
  /**
   * Trust region: the bound δ on the mean KL between old and new policy (paper: 0.01). Default:
   * `0.01`.
   */
  max_kl: number;
  /** Conjugate-gradient iterations. Default: `10`. */
  cg_iters: number;
  /** Damping added to the Fisher matrix. Default: `0.1`. */
  cg_damping: number;
  /** Line-search halvings. Default: `10`. */
  backtrack_iters: number;
  /** Line-search shrink factor. Default: `0.5`. */
  backtrack_coeff: number;
  /** Fraction of trials used for Fisher–vector products (rllab subsample_factor). Default: `1`. */
  fvp_subsample: number;
  /** Norm of the parameter perturbation for the finite-difference J·v. Default: `0.01`. */
  fd_step: number;
  /**
   * β of an entropy bonus β·mean H(π) added to the surrogate (0: the paper's objective); the trust
   * region is unchanged. Default: `0`.
   */
  entropy_coeff: number;
}

/** PPO hyperparameters, defaults filled in (CleanRL's). */
export interface PpoConfig {
  /** Clip range ε of the probability ratio (CleanRL: 0.2). Default: `0.2`. */
  clip: number;
  /** Passes over the batch per iteration (CleanRL: 4). Default: `4`. */
  epochs: number;
  /** Minibatches of whole trials per epoch (CleanRL: 4). Default: `4`. */
  minibatches: number;
  /** Adam step size (CleanRL: 2.5e-4). Default: `0.00025`. */
  learning_rate: number;
  /** Weight of the mean entropy added to the objective (CleanRL: 0.01). Default: `0.01`. */
  entropy_coeff: number;
  /** Maximum global norm of a minibatch's gradient (CleanRL: 0.5). Default: `0.5`. */
  max_grad_norm: number;
}

/** First-order TRPO hyperparameters, defaults filled in (the RL² authors' code's). */
export interface FirstOrderTrpoConfig {
  /** Clip range ε of the probability ratio (authors' code: 0.1). Default: `0.1`. */
  clip: number;
  /** Passes over the batch per iteration (authors' code: 5). Default: `5`. */
  epochs: number;
  /** Whole trials per minibatch (authors' code: 128). Default: `128`. */
  minibatch_trials: number;
  /** Adam step size (authors' code: 1e-3). Default: `0.001`. */
  learning_rate: number;
  /** Trust region on the mean KL(old ‖ new) (paper: 0.01). Default: `0.01`. */
  max_kl: number;
  /** Every gradient entry is clipped to [−c, c] (authors' code: 40). Default: `40`. */
  gradient_clip: number;
  /**
   * Factor of each backtracking step towards the old parameters (authors' code: 0.5). Default:
   * `0.5`.
   */
  backtrack_ratio: number;
  /** Most backtracking steps (authors' code: 10). Default: `10`. */
  max_backtracks: number;
  /** Weight of the mean entropy added to the objective (authors' code: 0). Default: `0`. */
  entropy_coeff: number;
}

/** MAML-TRPO hyperparameters, defaults filled in (the MAML paper's and rllab's). */
export interface MamlConfig {
  /** Tasks per meta-batch (paper: 20). Default: `20`. */
  meta_batch: number;
  /** K, trajectories per task and stage (paper: 20). Default: `20`. */
  trajectories: number;
  /** Inner policy-gradient steps during meta-training (paper: 1). Default: `1`. */
  inner_steps: number;
  /** α, inner step size (paper: 0.1). Default: `0.1`. */
  inner_lr: number;
  /**
   * First-order MAML: the meta-gradient without the inner steps' Hessian terms. Default: `false`.
   */
  first_order: boolean;
  /** Trust region of the meta-update: mean KL bound δ (paper: 0.01). Default: `0.01`. */
  max_kl: number;
  /** Conjugate-gradient iterations (rllab: 10). Default: `10`. */
  cg_iters: number;
  /** Damping added to the Fisher matrix (rllab: 1e-5). Default: `0.00001`. */
  cg_damping: number;
  /** Line-search evaluations (rllab: 15). Default: `15`. */
  backtrack_iters: number;
  /** Line-search shrink factor (rllab: 0.8). Default: `0.8`. */
  backtrack_coeff: number;
  /**
   * Norm of the perturbation for the finite-difference Hessian–vector products. Default: `0.01`.
   */
  hvp_step: number;
  /**
   * Norm of the perturbation for the finite-difference J·v of the Fisher product. Default: `0.01`.
   */
  fd_step: number;
  /** Initial log standard deviation of the Gaussian policy (rllab: 0). Default: `0`. */
  init_log_std: number;
  /**
   * Step size of the evaluation's inner steps after the first (paper, App. A.2: α = 0.1 for the
   * first, 0.05 after). Default: `0.05`.
   */
  eval_later_lr: number;
  /**
   * Trajectories per stage at evaluation (K when absent; the paper's Table 4 says 40, and its
   * authors' test script samples 4000 timesteps per step).
   */
  eval_trajectories?: number;
  /**
   * The trust region's Hessian–vector products: exact (when absent) or as the authors' rllab code
   * takes them, central differences with a perturbation of 1e-8/‖θ‖ on float32 parameters, which
   * moves few of them.
   */
  kl_hessian?: "exact" | "float32_finite_difference";
}

/** How a classic baseline's grid is searched before evaluation. */
export interface TuningConfig {
  /** Tasks (one trial each) every grid point is scored on. Default: `1000`. */
  tasks: number;
  /** Seed of the tuning tasks, apart from the evaluation tasks. Default: `9001`. */
  seed: number;
}
