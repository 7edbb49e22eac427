/**
 * What an agent cannot do on a task: the combinations of an agent's settings and a task that a
 * run would refuse when it starts (its learner has no update for the task's actions, a setting
 * its update does not have for them) or would silently ignore (a setting used only on other
 * tasks). {@link UNSUPPORTED} is the one list of them; `validate` refuses every file that holds
 * one, naming the file and the setting, before anything runs. Making a setting work on a task
 * lifts its rule: delete its entry below.
 *
 * @module
 */
import { MAX_PULLS } from "../baselines/bandit/bayes_values.ts";
import { createFamily, type TaskConfig } from "../envs/registry.ts";
import { isRecord } from "../canonical.ts";
import type { JsonPath, SchemaIssue } from "./issues.ts";
import type { AgentConfig, ExperimentConfig } from "./schema.ts";

/** A task's actions: a discrete set (bandits, MDPs, CartPole) or a continuous vector. */
export type Actions = "discrete" | "continuous";

/** One combination a run cannot do or would ignore. */
export interface Unsupported {
  /** The agent kinds it concerns. */
  readonly kinds: readonly string[];
  /** The tasks it concerns, by their actions. */
  readonly actions: Actions;
  /** Whether an agent of those kinds on such a task has it (always, when absent). */
  readonly holds?: (agent: AgentConfig, task: TaskConfig) => boolean;
  /** The setting at fault, in the agent's block. */
  readonly path: JsonPath;
  /** What is wrong and what to write instead. */
  readonly message: (agent: AgentConfig, task: TaskConfig) => string;
}

/** The value at `path` of an agent's block, when it has one. */
function setting(agent: AgentConfig, path: JsonPath): unknown {
  let value: unknown = agent;
  for (const key of path) value = isRecord(value) ? value[String(key)] : undefined;
  return value;
}

/** Every combination of agent and task that a run refuses or ignores. */
export const UNSUPPORTED: readonly Unsupported[] = [
  {
    kinds: ["rl2_ppo", "ppo", "rl2_fo_trpo", "fo_trpo"],
    actions: "continuous",
    path: ["kind"],
    message: (agent) =>
      `${agent.kind} has no update for continuous actions yet (this task's actions are ` +
      "continuous): use rl2, trpo or maml_trpo",
  },
  {
    kinds: ["maml_trpo", "pearl"],
    actions: "discrete",
    path: ["kind"],
    message: (agent, task) =>
      `${agent.kind} needs a task with continuous actions (navigation, point_robot); ` +
      `${task.kind}'s are discrete`,
  },
  {
    kinds: ["rl2", "trpo"],
    actions: "discrete",
    holds: (agent) => setting(agent, ["trpo", "finetune"]) !== undefined,
    path: ["trpo", "finetune"],
    message: (_, task) =>
      `fine-tuning evaluates only on tasks with continuous actions; on ${task.kind} it would ` +
      "be ignored: remove it",
  },
  {
    kinds: ["rl2"],
    actions: "continuous",
    holds: (agent) => setting(agent, ["trpo", "finetune"]) !== undefined,
    path: ["trpo", "finetune"],
    message: () =>
      "fine-tuning evaluates a memoryless policy (kind trpo); RL²'s evaluation is one trial " +
      "and would ignore it: remove it",
  },
  {
    kinds: ["pearl"],
    actions: "continuous",
    holds: (agent, task) =>
      Number(setting(agent, ["pearl", "exploration_trajectories"]) ?? 1) >= task.episodes,
    path: ["pearl", "exploration_trajectories"],
    message: (_, task) =>
      `every episode of the trial (task.episodes ${task.episodes}) would be an exploration ` +
      `trajectory with z from the prior, none acting on the posterior: at most ${
        task.episodes - 1
      }`,
  },
  {
    kinds: ["bayes_optimal"],
    actions: "discrete",
    holds: (_, task) => task.kind === "bandit" && task.episodes > MAX_PULLS,
    path: ["kind"],
    message: (_, task) =>
      `bayes_optimal is solved for trials of at most ${MAX_PULLS} pulls; task.episodes is ` +
      `${task.episodes}`,
  },
];

/** The actions of `task`'s family. */
export function taskActions(task: TaskConfig): Actions {
  return createFamily(task).actionDim === undefined ? "discrete" : "continuous";
}

/** Issues, with paths relative to the agent, for every rule of {@link UNSUPPORTED} it breaks. */
export function unsupportedIssues(agent: AgentConfig, task: TaskConfig): SchemaIssue[] {
  const actions = taskActions(task);
  return UNSUPPORTED.filter((rule) =>
    rule.kinds.includes(agent.kind) && rule.actions === actions &&
    (rule.holds?.(agent, task) ?? true)
  ).map((rule) => ({ path: rule.path, message: rule.message(agent, task) }));
}

/**
 * True for an agent evaluated by adaptation steps (MAML, a fine-tuned memoryless policy): each
 * episode of its trial is K sampled trajectories after a policy-gradient step.
 */
export function adaptsInEvaluation(agent: AgentConfig): boolean {
  return agent.kind === "maml_trpo" || setting(agent, ["trpo", "finetune"]) !== undefined;
}

/**
 * `evaluation.greedy` with agents evaluated by adaptation steps, which sample their actions
 * whatever it says: the agents (of `agents`, the resolved agents at every ablation point) it
 * would be ignored for.
 */
export function greedyIssues(
  config: ExperimentConfig,
  agents: readonly { name: string; agent: AgentConfig }[],
): SchemaIssue[] {
  if (!config.evaluation.greedy) return [];
  const names = [...new Set(agents.filter((a) => adaptsInEvaluation(a.agent)).map((a) => a.name))];
  const one = names.length === 1;
  return names.length === 0 ? [] : [{
    path: ["evaluation", "greedy"],
    message: `agent${one ? "" : "s"} ${names.map((n) => `"${n}"`).join(", ")} ` +
      `adapt${one ? "s" : ""} by policy-gradient steps on sampled trajectories, which greedy ` +
      "evaluation would not change: evaluate without greedy",
  }];
}
