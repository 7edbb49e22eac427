/**
 * Training a run on past the length it was made for: an experiment whose only change is more
 * `sampling.iterations` for some agents keeps its results, and `--resume` trains each such run on
 * from its last checkpoint. Nothing a run computes reads its total length except where it stops
 * and evaluates, so the lengthened run gives the numbers a run of the new length would have given
 * from the start (the evaluations at the old end that the new schedule does not make are dropped).
 *
 * @module
 */
import { canonicalJson, isRecord, sha256Hex } from "../../canonical.ts";
import type { Manifest, RunConfig } from "./manifest.ts";

/** The `sampling.iterations` of an agent's config, when it has one. */
export function iterationsOf(agent: unknown): number | undefined {
  const sampling = isRecord(agent) ? agent.sampling : undefined;
  const iterations = isRecord(sampling) ? sampling.iterations : undefined;
  return typeof iterations === "number" ? iterations : undefined;
}

/** `agent` with `sampling.iterations` set to `iterations`. */
function withIterations(agent: Record<string, unknown>, iterations: number) {
  return { ...agent, sampling: { ...agent.sampling as Record<string, unknown>, iterations } };
}

/**
 * Whether a run of `next` trains a run of `stored` on: the same config but for more
 * `sampling.iterations`.
 */
export function lengthens(stored: RunConfig, next: RunConfig): boolean {
  const before = iterationsOf(stored.agent_config);
  const after = iterationsOf(next.agent_config);
  if (before === undefined || after === undefined || after <= before) return false;
  const agent = withIterations(next.agent_config as Record<string, unknown>, before);
  return canonicalJson({ ...next, agent_config: agent }) === canonicalJson(stored);
}

/**
 * The resolved experiment `next` with each agent's `sampling.iterations` brought back to what
 * `existing` (an earlier version's canonical JSON) gave it where `next` asks for more: equal to
 * `existing` when lengthening its agents is all that changed. Undefined when either is not an
 * experiment's JSON.
 */
export function atEarlierLength(existing: string, next: string): string | undefined {
  let before: unknown, after: unknown;
  try {
    before = JSON.parse(existing);
    after = JSON.parse(next);
  } catch {
    return undefined;
  }
  if (!isRecord(before) || !isRecord(after)) return undefined;
  if (!isRecord(before.agents) || !isRecord(after.agents)) return undefined;
  const earlier = before.agents;
  const agents = Object.fromEntries(
    Object.entries(after.agents).map(([name, agent]) => {
      const old = iterationsOf(earlier[name]);
      const now = iterationsOf(agent);
      const longer = old !== undefined && now !== undefined && now > old && isRecord(agent);
      return [name, longer ? withIterations(agent, old) : agent];
    }),
  );
  return canonicalJson({ ...after, agents });
}

/**
 * The length a checkpoint was made for when `config` trains its run on: the iterations, among
 * those the run's manifest records (its config's, and each lengthened attempt's
 * `lengthened_from`), at which `config` has the checkpoint's config hash. So a lengthening that
 * was interrupted (the manifest already holds the longer config, the checkpoint the shorter one)
 * continues to the new length. Undefined when none does.
 */
export async function checkpointLength(
  checkpointHash: string,
  config: RunConfig,
  manifest: Manifest,
): Promise<number | undefined> {
  const now = iterationsOf(config.agent_config);
  if (now === undefined) return undefined;
  const recorded = [
    iterationsOf(manifest.config.agent_config),
    ...(manifest.attempts ?? []).map((a) => a.lengthened_from),
  ];
  for (const n of new Set(recorded)) {
    if (n === undefined || n >= now) continue;
    const agent = withIterations(config.agent_config as Record<string, unknown>, n);
    if (await sha256Hex(canonicalJson({ ...config, agent_config: agent })) === checkpointHash) {
      return n;
    }
  }
  return undefined;
}
