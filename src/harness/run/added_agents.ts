/**
 * Adding agents to an experiment keeps its results: a run's identity is its task, agent, config,
 * seed, evaluation and backend (`manifest.ts`), none of which another agent changes, so under
 * `--resume` the runs already made are kept and only the new agents' runs are made.
 *
 * @module
 */
import { canonicalJson, isRecord } from "../../canonical.ts";

function agentsOf(canonical: string): Record<string, unknown> | undefined {
  try {
    const data: unknown = JSON.parse(canonical);
    return isRecord(data) && isRecord(data.agents) ? data.agents : undefined;
  } catch {
    return undefined;
  }
}

/** The agents of the resolved experiment `next` that `existing` (an earlier version) lacks. */
export function addedAgents(existing: string, next: string): string[] {
  const before = agentsOf(existing);
  const after = agentsOf(next);
  if (before === undefined || after === undefined) return [];
  return Object.keys(after).filter((name) => !Object.hasOwn(before, name));
}

/** The resolved experiment `canonical` without the agents `names` (unchanged when not JSON). */
export function withoutAgents(canonical: string, names: readonly string[]): string {
  if (names.length === 0) return canonical;
  const data: unknown = JSON.parse(canonical);
  if (!isRecord(data) || !isRecord(data.agents)) return canonical;
  const agents = Object.fromEntries(
    Object.entries(data.agents).filter(([name]) => !names.includes(name)),
  );
  return canonicalJson({ ...data, agents });
}
