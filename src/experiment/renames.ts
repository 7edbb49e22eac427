/**
 * Settings written under an older name, with an older value or in an older place. A learner's
 * tables (of its `LearnerSpec`) say what changed: `renamed`, the old key that stands for a new
 * one, by block of its agent; `renamedValues`, the old value of a setting that stands for a new
 * one; `moved`, a setting of its agent block that now sits elsewhere in the experiment (e.g.
 * `trpo.finetune` → `evaluation.finetune`). Before an experiment is validated, every old key,
 * value and place is brought to its new one, in the agents' blocks and in the ablations (their
 * paths, and the values they give), so that the resolved experiment, and every hash made from
 * it, holds the new spelling only. Each change is a notice (the file is accepted); a place that
 * gives both spellings with different values is an issue, and so is an ablation of a setting
 * that moved where ablations cannot reach.
 *
 * Results keep the spelling they were written with: `renamed_results.ts` reads a results
 * folder's resolved experiment and its runs' configs through the same tables, so a run made
 * before a change is the run the experiment now describes.
 *
 * @module
 */
import { canonicalJson, isRecord } from "../canonical.ts";
import { findLearner } from "../learners/registry.ts";
import { overlay } from "./extends.ts";
import type { JsonPath, SchemaIssue } from "./issues.ts";

/** What {@link renameKeys} did to an experiment's data. */
export interface Renaming {
  /** The data in the new spelling (the input itself when nothing changed). */
  readonly data: unknown;
  /** One per old key, value or place read as the new one, where the file wrote it. */
  readonly notices: readonly SchemaIssue[];
  /** One per place that gives both spellings, and per ablation of a moved setting. */
  readonly issues: readonly SchemaIssue[];
  /** A path of the renamed data as the file wrote it: the old key or place where one changed. */
  original(path: JsonPath): JsonPath;
}

/** The message of a notice: the old key (or ablation path) was read as `name`. */
export function renamedMessage(name: string): string {
  return `renamed to ${name} (accepted; write the new name)`;
}

/** The message of a notice: the old value was read as `value`. */
export function renamedValueMessage(value: string): string {
  return `renamed to "${value}" (accepted; write the new value)`;
}

/** The message of a notice: the setting was read at `place`, an experiment path. */
export function movedMessage(place: string): string {
  return `moved to ${place} (accepted; write it there)`;
}

function bothMessage(old: string, name: string): string {
  return `"${old}" is the old name of "${name}", which is also given; keep only "${name}"`;
}

type Table = Readonly<Record<string, Readonly<Record<string, string>>>>;
type ValueTable = Readonly<
  Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>
>;

/** What changed in the agent blocks of the learner of `kind` (nothing for any other kind). */
function tablesOf(kind: unknown): { keys: Table; values: ValueTable; moved: Table[string] } {
  const spec = typeof kind === "string" ? findLearner(kind) : undefined;
  return { keys: spec?.renamed ?? {}, values: spec?.renamedValues ?? {}, moved: spec?.moved ?? {} };
}

/** The entry `key` of `table`, if it has one of its own. */
function entry<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** `data` with `value` at `path` (objects made on the way; `data` itself is not changed). */
function withValueAt(data: unknown, path: readonly string[], value: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  const record = isRecord(data) ? data : {};
  return { ...record, [key]: withValueAt(record[key], rest, value) };
}

/** The value at `path` of `data`, undefined when absent. */
function valueAt(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const key of path) {
    value = isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
  }
  return value;
}

/** A setting taken out of an agent block, for its new place in the experiment. */
interface Carried {
  readonly from: JsonPath;
  readonly to: readonly string[];
  readonly value: unknown;
}

/** Collects the changes, notices and issues of one experiment's renaming. */
class Renamer {
  readonly notices: SchemaIssue[] = [];
  readonly issues: SchemaIssue[] = [];
  readonly moves: { from: JsonPath; to: JsonPath }[] = [];
  readonly carried: Carried[] = [];

  /** `block` (at `at`) with its old keys and values renamed, keeping the order of its keys. */
  block(
    block: Record<string, unknown>,
    keys: Readonly<Record<string, string>>,
    values: ValueTable[string] | undefined,
    at: JsonPath,
  ): Record<string, unknown> {
    let changed = false;
    const entries: [string, unknown][] = [];
    for (const [key, value] of Object.entries(block)) {
      const name = entry(keys, key);
      if (name !== undefined && Object.hasOwn(block, name)) {
        changed = true;
        this.issues.push({ path: [...at, key], atKey: true, message: bothMessage(key, name) });
        continue;
      }
      if (name !== undefined) {
        changed = true;
        this.notices.push({ path: [...at, key], atKey: true, message: renamedMessage(name) });
        this.moves.push({ from: [...at, key], to: [...at, name] });
      }
      const newValue = this.value(value, entry(values, name ?? key), [...at, key]);
      changed ||= newValue !== value;
      entries.push([name ?? key, newValue]);
    }
    return changed ? Object.fromEntries(entries) : block;
  }

  /** `value` (at `at`) renamed by `renames` (old value → new value) when it is an old one. */
  value(value: unknown, renames: Readonly<Record<string, string>> | undefined, at: JsonPath) {
    const renamed = typeof value === "string" ? entry(renames, value) : undefined;
    if (renamed === undefined) return value;
    this.notices.push({ path: at, message: renamedValueMessage(renamed) });
    return renamed;
  }

  /** An agent block (at `at`) of a learner of `kind` in the new spelling. */
  agent(agent: unknown, kind: unknown, at: JsonPath): unknown {
    if (!isRecord(agent)) return agent;
    const tables = tablesOf(kind);
    let out = agent;
    for (const [blockName, block] of Object.entries(agent)) {
      if (!isRecord(block)) continue;
      const keys = entry(tables.keys, blockName) ?? {};
      let renamed = this.block(block, keys, entry(tables.values, blockName), [...at, blockName]);
      for (const [key, value] of Object.entries(renamed)) {
        const place = entry(tables.moved, `${blockName}.${key}`);
        if (place === undefined) continue;
        const { [key]: _, ...rest } = renamed;
        renamed = rest;
        this.carried.push({ from: [...at, blockName, key], to: place.split("."), value });
      }
      if (renamed !== block) out = { ...out, [blockName]: renamed };
    }
    return out;
  }

  /** `data` with every carried setting at its new place, unless `data` gives another value. */
  place(data: Record<string, unknown>): Record<string, unknown> {
    let out = data;
    for (const { from, to, value } of this.carried) {
      const given = valueAt(out, to);
      const where = to.join(".");
      if (given !== undefined && canonicalJson(given) !== canonicalJson(value)) {
        this.issues.push({
          path: from,
          atKey: true,
          message: `moved to ${where}, which holds another value; keep only ${where}`,
        });
        continue;
      }
      this.notices.push({ path: from, atKey: true, message: movedMessage(where) });
      this.moves.push({ from, to });
      if (given === undefined) out = withValueAt(out, to, value) as Record<string, unknown>;
    }
    return out;
  }

  /** An `ablations` block in the new spelling, its paths and the values of a block or setting. */
  ablations(
    ablations: Record<string, unknown>,
    kindOf: (agent: string) => unknown,
  ): Record<string, unknown> {
    let changed = false;
    const entries: [string, unknown][] = [];
    for (const [path, values] of Object.entries(ablations)) {
      const [agent = "", blockName = "", key, ...rest] = path.split(".");
      const tables = tablesOf(kindOf(agent));
      const keys = entry(tables.keys, blockName);
      const name = keys === undefined || key === undefined ? undefined : entry(keys, key);
      const setting = name ?? key;
      const at = ["ablations", path];
      const place = setting === undefined
        ? undefined
        : entry(tables.moved, `${blockName}.${setting}`);
      if (place !== undefined) {
        changed = true;
        this.issues.push({ path: at, atKey: true, message: unablatedMessage(place) });
        continue;
      }
      if (name !== undefined) {
        changed = true;
        const renamed = [agent, blockName, name, ...rest].join(".");
        if (Object.hasOwn(ablations, renamed)) {
          this.issues.push({ path: at, atKey: true, message: bothMessage(path, renamed) });
          continue;
        }
        this.notices.push({ path: at, atKey: true, message: renamedMessage(renamed) });
        this.moves.push({ from: at, to: ["ablations", renamed] });
      }
      const out = Array.isArray(values)
        ? this.ablatedValues(values, tables, blockName, setting, rest.length > 0, at)
        : values;
      changed ||= out !== values;
      entries.push([name === undefined ? path : [agent, blockName, name, ...rest].join("."), out]);
    }
    return changed ? Object.fromEntries(entries) : ablations;
  }

  /** The values of one ablation path (at `at`): whole blocks, or values of one setting. */
  ablatedValues(
    values: readonly unknown[],
    tables: ReturnType<typeof tablesOf>,
    blockName: string,
    setting: string | undefined,
    deeper: boolean,
    at: JsonPath,
  ): readonly unknown[] {
    const renamed = values.map((value, i) => {
      if (setting === undefined) {
        // The whole block is ablated: each value is a block of its own.
        if (!isRecord(value)) return value;
        const block = this.block(
          value,
          entry(tables.keys, blockName) ?? {},
          entry(tables.values, blockName),
          [...at, i],
        );
        const moved = Object.keys(block).find((k) =>
          entry(tables.moved, `${blockName}.${k}`) !== undefined
        );
        if (moved !== undefined) {
          this.issues.push({
            path: [...at, i, moved],
            atKey: true,
            message: unablatedMessage(tables.moved[`${blockName}.${moved}`]!),
          });
        }
        return block;
      }
      return deeper ? value : this.value(value, entry(entry(tables.values, blockName), setting), [
        ...at,
        i,
      ]);
    });
    return renamed.some((value, i) => value !== values[i]) ? renamed : values;
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

/** The issue of an ablation of a setting that moved to `place`, outside every agent. */
function unablatedMessage(place: string): string {
  return `moved to ${place}, which is the same for every agent and cannot be ablated; give it ` +
    "there, or write one experiment per value";
}

/**
 * An experiment's data in the new spelling of its learners' settings (old keys, values and
 * places brought to the new ones), and what was changed. `base` is what the data is laid over
 * (the files it extends, already renamed): it tells the kind of an agent the data names without
 * giving its kind.
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
    out = renamer.place(out as Record<string, unknown>);
  }
  return {
    data: out,
    notices: renamer.notices,
    issues: renamer.issues,
    original: (path) => renamer.original(path),
  };
}
