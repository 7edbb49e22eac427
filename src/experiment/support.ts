/**
 * What an agent cannot do on a task: the combinations of an agent's settings and a task that a
 * run would refuse when it starts (its learner does not train on the task's kind of action: its
 * `actions` in the learner registry) or would silently ignore (a setting used only on other
 * tasks, an evaluation protocol no agent follows). {@link UNSUPPORTED} lists the combinations
 * beyond the learners' actions; `validate` refuses every file that holds one, naming the file
 * and the setting, before anything runs. Making a setting work on a task lifts its rule: delete
 * its entry below.
 *
 * @module
 */
import { MAX_PULLS } from "../baselines/bandit/bayes_values.ts";
import { createFamily, type TaskConfig } from "../envs/registry.ts";
import { isRecord } from "../canonical.ts";
import type { ActionKind } from "../learners/learner.ts";
import { findLearner, LEARNERS } from "../learners/registry.ts";
import { finetunes } from "../learners/finetune.ts";
import type { JsonPath, SchemaIssue } from "./issues.ts";
import type { AgentConfig, ExperimentConfig } from "./schema.ts";

/** One combination a run cannot do or would ignore, beyond the actions a learner trains on. */
export interface Unsupported {
  /** The agent kinds it concerns. */
  readonly kinds: readonly string[];
  /** The tasks it concerns, by their actions. */
  readonly actions: ActionKind;
  /** Whether an agent of those kinds on such a task has it (always, when absent). */
  readonly holds?: (agent: AgentConfig, task: TaskConfig) => boolean;
  /** The setting at fault, in the agent's block. */
  readonly path: JsonPath;
  /** What is wrong and what to write instead. */
  readonly message: (agent: AgentConfig, task: TaskConfig) => string;
}

/** The value at `path` in an agent's block, or undefined. */
function setting(agent: AgentConfig, path: JsonPath): unknown {
  let value: unknown = agent;
  for (const key of path) value = isRecord(value) ? value[String(key)] : undefined;
  return value;
}

/**
 * Every combination of agent and task that a run refuses or ignores, besides a learner on a
 * task whose actions it does not train on (its `actions`, in the learner registry).
 */
export const UNSUPPORTED: readonly Unsupported[] = [
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

/** The issue of a learner on a task whose actions (`actions`) it does not train on. */
function actionsIssue(kind: string, actions: ActionKind, task: TaskConfig): SchemaIssue {
  if (actions === "discrete") {
    return {
      path: ["kind"],
      message: `${kind} needs a task with continuous actions; ${task.kind}'s are discrete`,
    };
  }
  const others = LEARNERS.filter((l) => l.actions.includes(actions)).map((l) => l.kind);
  return {
    path: ["kind"],
    message: `${kind} has no update for continuous actions yet (this task's actions are ` +
      `continuous): use ${others.join(", ")}`,
  };
}

/** The actions of `task`'s family. */
export function taskActions(task: TaskConfig): ActionKind {
  return createFamily(task).actionDim === undefined ? "discrete" : "continuous";
}

/**
 * Issues, with paths relative to the agent: a learner on actions it does not train on, and
 * every rule of {@link UNSUPPORTED} it breaks.
 */
export function unsupportedIssues(agent: AgentConfig, task: TaskConfig): SchemaIssue[] {
  const actions = taskActions(task);
  const spec = findLearner(agent.kind);
  if (spec !== undefined && !spec.actions.includes(actions)) {
    return [actionsIssue(agent.kind, actions, task)];
  }
  return UNSUPPORTED.filter((rule) =>
    rule.kinds.includes(agent.kind) && rule.actions === actions &&
    (rule.holds?.(agent, task) ?? true)
  ).map((rule) => ({ path: rule.path, message: rule.message(agent, task) }));
}

/**
 * True for an agent `evaluation.finetune` evaluates (when the experiment gives it): a
 * memoryless on-policy learner's on a task with continuous actions (`finetune.ts`).
 */
export function finetuned(agent: AgentConfig, task: TaskConfig): boolean {
  const spec = findLearner(agent.kind);
  return spec !== undefined && finetunes(spec, taskActions(task));
}

/**
 * True for an agent evaluated by adaptation steps (MAML, a fine-tuned memoryless policy): each
 * episode of its trial is K sampled trajectories after a policy-gradient step.
 */
export function adaptsInEvaluation(agent: AgentConfig, config: ExperimentConfig): boolean {
  return agent.kind === "maml_trpo" ||
    (config.evaluation.finetune !== undefined && finetuned(agent, config.task));
}

/**
 * What the evaluation protocol would ignore, for `agents` (the resolved agents at every
 * ablation point): `evaluation.finetune` without an agent it fine-tunes, and
 * `evaluation.greedy` with agents evaluated by adaptation steps, which sample their actions
 * whatever it says.
 */
export function evaluationIssues(
  config: ExperimentConfig,
  agents: readonly { name: string; agent: AgentConfig }[],
): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  if (
    config.evaluation.finetune !== undefined && !agents.some((a) => finetuned(a.agent, config.task))
  ) {
    const why = taskActions(config.task) === "discrete"
      ? `${config.task.kind}'s actions are discrete`
      : "no agent is a memoryless learner with a continuous-action update (such as trpo)";
    issues.push({
      path: ["evaluation", "finetune"],
      message: `fine-tuning evaluates memoryless agents on continuous actions; ${why}, so it ` +
        "would be ignored: remove it",
    });
  }
  if (!config.evaluation.greedy) return issues;
  const names = [
    ...new Set(agents.filter((a) => adaptsInEvaluation(a.agent, config)).map((a) => a.name)),
  ];
  const one = names.length === 1;
  if (names.length > 0) {
    issues.push({
      path: ["evaluation", "greedy"],
      message: `agent${one ? "" : "s"} ${names.map((n) => `"${n}"`).join(", ")} ` +
        `adapt${one ? "s" : ""} by policy-gradient steps on sampled trajectories, which greedy ` +
        "evaluation would not change: evaluate without greedy",
    });
  }
  return issues;
}
