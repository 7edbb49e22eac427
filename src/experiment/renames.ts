/**
 * Settings written under an older name. A learner's table of renamed keys (`renamed` of its
 * `LearnerSpec`, by block of its agent) says which old key stands for which new one; before an
 * experiment is validated, every old key is moved to its new name, in the agents' blocks and in
 * the ablations (their paths, and the values of an ablated block), so that the resolved
 * experiment, and every hash made from it, holds the new name only. Each move is a notice (the
 * file is accepted); a place that gives both names is an issue.
 *
 * @module
 */
import { isRecord } from "../canonical.ts";
import { findLearner } from "../learners/registry.ts";
import { overlay } from "./extends.ts";
import type { JsonPath, SchemaIssue } from "./issues.ts";

/** What {@link renameKeys} did to an experiment's data. */
export interface Renaming {
  /** The data with every old key moved to its new name (the input itself when none was). */
  readonly data: unknown;
  /** One per old key moved, at that key: `renamed to NEW (accepted; write the new name)`. */
  readonly notices: readonly SchemaIssue[];
  /** One per old key given beside its new name, at the old key (which is left out). */
  readonly issues: readonly SchemaIssue[];
  /** A path of the renamed data as the file wrote it: the old key where one was moved. */
  original(path: JsonPath): JsonPath;
}

/** The message of a notice: the old key (or ablation path) was read as `name`. */
export function renamedMessage(name: string): string {
  return `renamed to ${name} (accepted; write the new name)`;
}

function bothMessage(old: string, name: string): string {
  return `"${old}" is the old name of "${name}", which is also given; keep only "${name}"`;
}

type Table = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The renamed keys of the learner of `kind`, by block (none for any other kind). */
function tableOf(kind: unknown): Table {
  return (typeof kind === "string" ? findLearner(kind)?.renamed : undefined) ?? {};
}

/** The new name of `key` in `renames`, if it is an old one. */
function newName(renames: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(renames, key) ? renames[key] : undefined;
}

/** Collects the moves, notices and issues of one experiment's renaming. */
class Renamer {
  readonly notices: SchemaIssue[] = [];
  readonly issues: SchemaIssue[] = [];
  readonly moves: { from: JsonPath; to: JsonPath }[] = [];

  /** `block` (at `at`) with its old keys renamed in place, keeping the order of its keys. */
  block(
    block: Record<string, unknown>,
    renames: Readonly<Record<string, string>>,
    at: JsonPath,
  ): Record<string, unknown> {
    if (!Object.keys(block).some((key) => newName(renames, key) !== undefined)) return block;
    const entries: [string, unknown][] = [];
    for (const [key, value] of Object.entries(block)) {
      const name = newName(renames, key);
      if (name === undefined) {
        entries.push([key, value]);
      } else if (Object.hasOwn(block, name)) {
        this.issues.push({ path: [...at, key], atKey: true, message: bothMessage(key, name) });
      } else {
        this.notices.push({ path: [...at, key], atKey: true, message: renamedMessage(name) });
        this.moves.push({ from: [...at, key], to: [...at, name] });
        entries.push([name, value]);
      }
    }
    return Object.fromEntries(entries);
  }

  /** An agent block (at `at`) of a learner of `kind` with its old keys renamed. */
  agent(agent: unknown, kind: unknown, at: JsonPath): unknown {
    if (!isRecord(agent)) return agent;
    let out = agent;
    for (const [name, renames] of Object.entries(tableOf(kind))) {
      const block = out[name];
      if (!isRecord(block)) continue;
      const renamed = this.block(block, renames, [...at, name]);
      if (renamed !== block) out = { ...out, [name]: renamed };
    }
    return out;
  }

  /** An `ablations` block with old keys renamed in its paths and in the values of a block. */
  ablations(
    ablations: Record<string, unknown>,
    kindOf: (agent: string) => unknown,
  ): Record<string, unknown> {
    let changed = false;
    const entries: [string, unknown][] = [];
    for (const [path, values] of Object.entries(ablations)) {
      const [agent = "", blockName = "", key, ...rest] = path.split(".");
      const renames = tableOf(kindOf(agent))[blockName];
      const name = renames === undefined || key === undefined ? undefined : newName(renames, key);
      if (name !== undefined) {
        changed = true;
        const renamed = [agent, blockName, name, ...rest].join(".");
        const at = ["ablations", path];
        if (Object.hasOwn(ablations, renamed)) {
          this.issues.push({ path: at, atKey: true, message: bothMessage(path, renamed) });
        } else {
          this.notices.push({ path: at, atKey: true, message: renamedMessage(renamed) });
          this.moves.push({ from: at, to: ["ablations", renamed] });
          entries.push([renamed, values]);
        }
      } else if (renames !== undefined && key === undefined && Array.isArray(values)) {
        // The whole block is ablated: each value is a block of its own.
        const renamed = values.map((value, i) =>
          isRecord(value) ? this.block(value, renames, ["ablations", path, i]) : value
        );
        changed ||= renamed.some((value, i) => value !== values[i]);
        entries.push([path, renamed]);
      } else {
        entries.push([path, values]);
      }
    }
    return changed ? Object.fromEntries(entries) : ablations;
  }

  original(path: JsonPath): JsonPath {
    for (const { from, to } of this.moves) {
      if (to.length <= path.length && to.every((segment, i) => path[i] === segment)) {
        return [...from, ...path.slice(to.length)];
      }
    }
    return path;
  }
}

/**
 * An experiment's data with every old key of its learners moved to its new name, and what was
 * moved. `base` is what the data is laid over (the files it extends, already renamed): it tells
 * the kind of an agent the data names without giving its kind.
 *
 * @example A PPO block written with the old name of its entropy bonus
 * ```ts
 * import { renameKeys } from "./renames.ts";
 * const agent = { kind: "rl2_ppo", ppo: { entropy_coef: 0.02 } };
 * const { data, notices } = renameKeys({ agents: { rl2: agent } });
 * if (JSON.stringify(data) !== '{"agents":{"rl2":{"kind":"rl2_ppo","ppo":{"entropy_coeff":0.02}}}}') {
 *   throw new Error("not renamed");
 * }
 * if (notices[0]?.message !== "renamed to entropy_coeff (accepted; write the new name)") {
 *   throw new Error("not reported");
 * }
 * ```
 */
export function renameKeys(data: unknown, base?: unknown): Renaming {
  const renamer = new Renamer();
  let out = data;
  if (isRecord(data)) {
    const merged = base === undefined ? data : overlay(base, data);
    const agents = isRecord(merged) && isRecord(merged.agents) ? merged.agents : {};
    const kindOf = (name: string) => {
      const agent = Object.hasOwn(agents, name) ? agents[name] : undefined;
      return isRecord(agent) ? agent.kind : undefined;
    };
    if (isRecord(data.agents)) {
      const own = data.agents;
      const renamed = Object.fromEntries(
        Object.entries(own).map(([name, agent]) => [
          name,
          renamer.agent(agent, kindOf(name), ["agents", name]),
        ]),
      );
      if (Object.keys(own).some((name) => renamed[name] !== own[name])) {
        out = { ...data, agents: renamed };
      }
    }
    if (isRecord(data.ablations)) {
      const renamed = renamer.ablations(data.ablations, kindOf);
      if (renamed !== data.ablations) out = { ...(out as object), ablations: renamed };
    }
  }
  return {
    data: out,
    notices: renamer.notices,
    issues: renamer.issues,
    original: (path) => renamer.original(path),
  };
}
