/**
 * Experiment files that inherit: a file may name a parent (`"extends": "path"`, relative to the
 * file) and state only what it changes. The child's data is laid over the parent's: objects
 * merge key by key, `null` removes the parent's field (an agent the child does not run, say), and
 * everything else (numbers, strings, arrays) replaces the parent's value, so a child resolves to
 * exactly the experiment it would have spelt out in full.
 *
 * @module
 */
import { isRecord } from "../canonical.ts";

/** The key that names a file's parent. */
export const EXTENDS_KEY = "extends";

/** Longest chain of parents (child, parent, grandparent, …) a file may have. */
export const MAX_EXTENDS_DEPTH = 8;

/**
 * `child` laid over `parent`: objects merge key by key (recursively), a `null` in the child
 * removes the parent's field, other values of the child replace the parent's. The child's
 * `extends` key is left out.
 *
 * @example A fast file that changes one agent's GRU width
 * ```ts
 * import { overlay } from "./extends.ts";
 * const paper = { name: "paper", agents: { rl2: { kind: "rl2", policy: { gru: 256 } } } };
 * const fast = { extends: "paper.jsonc", name: "fast", agents: { rl2: { policy: { gru: 64 } } } };
 * const merged = overlay(paper, fast) as typeof paper;
 * if (merged.agents.rl2.kind !== "rl2" || merged.agents.rl2.policy.gru !== 64) throw new Error();
 * if ("extends" in merged) throw new Error("the key is the child's own");
 * ```
 */
export function overlay(parent: unknown, child: unknown): unknown {
  if (!isRecord(parent) || !isRecord(child)) return child;
  const out: Record<string, unknown> = { ...parent };
  for (const [key, value] of Object.entries(child)) {
    if (key === EXTENDS_KEY) continue;
    if (value === null) delete out[key];
    else out[key] = key in parent ? overlay(parent[key], value) : value;
  }
  return out;
}
