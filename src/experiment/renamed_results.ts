/**
 * Results in the spelling of their day, read in today's: a results folder's resolved experiment
 * and its runs' configs go through {@link renameKeys}'s tables, so a run made before a setting
 * was renamed or moved is the run the experiment now describes.
 *
 * @module
 */
import { canonicalJson, isRecord } from "../canonical.ts";
import { renameKeys } from "./renames.ts";

/**
 * The canonical JSON of a results folder's resolved experiment (`text`, written in the spelling
 * of its day) in today's spelling; `text` itself, trimmed, when nothing in it changed, when it
 * is not JSON, or when it cannot be renamed (it gives both spellings).
 *
 * @example A GRU block of an older file, with the authors' trial start under its old value
 * ```ts
 * import { renamedResolved } from "./renamed_results.ts";
 * const old = '{"agents":{"rl2":{"kind":"rl2","policy":{"start_input":"code"}}}}';
 * if (!renamedResolved(old).includes('"start_input":"no_action_done"')) throw new Error("value");
 * ```
 */
export function renamedResolved(text: string): string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return text.trim();
  }
  const renaming = renameKeys(data);
  return renaming.data === data || renaming.issues.length > 0
    ? text.trim()
    : canonicalJson(renaming.data);
}

/** What {@link renameRunConfig} reads of a run's config: its agent, its blocks and its point. */
export interface RenamableRunConfig {
  /** The agent's name in the experiment. */
  readonly agent: string;
  /** The agent's resolved block. */
  readonly agent_config: unknown;
  /** The ablation point: dotted path (from the agent's name) → value. */
  readonly ablation: Readonly<Record<string, unknown>>;
  /** The evaluation protocol. */
  readonly evaluation: unknown;
}

/**
 * A run's config (a manifest's, written in the spelling of its day) in today's spelling: its
 * agent block, its ablation point and its evaluation block as an experiment with that one agent
 * would be renamed; the config itself when nothing changed or it cannot be renamed.
 *
 * @example A run made when fine-tuning was a setting of the `trpo` block
 * ```ts
 * import { renameRunConfig } from "./renamed_results.ts";
 * const finetune = { trajectories: 20, lr: 0.1, later_lr: 0.05 };
 * const run = renameRunConfig({
 *   agent: "trpo",
 *   agent_config: { kind: "trpo", trpo: { max_kl: 0.01, finetune } },
 *   ablation: {},
 *   evaluation: { tasks: 40 },
 * });
 * if (JSON.stringify(run.evaluation) !== JSON.stringify({ tasks: 40, finetune })) {
 *   throw new Error("not moved");
 * }
 * ```
 */
export function renameRunConfig<T extends RenamableRunConfig>(config: T): T {
  const point = isRecord(config.ablation) ? config.ablation : {};
  const ablations = Object.fromEntries(
    Object.entries(point).map(([path, value]) => [path, [value]]),
  );
  const data = {
    agents: { [config.agent]: config.agent_config },
    evaluation: config.evaluation,
    ablations,
  };
  const renaming = renameKeys(data);
  if (renaming.data === data || renaming.issues.length > 0) return config;
  const renamed = renaming.data as typeof data;
  return {
    ...config,
    agent_config: renamed.agents[config.agent],
    evaluation: renamed.evaluation,
    ...(isRecord(config.ablation) && {
      ablation: Object.fromEntries(
        Object.entries(renamed.ablations).map(([path, values]) => [path, values[0]]),
      ),
    }),
  };
}
