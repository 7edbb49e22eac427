/**
 * The fields a checkpoint file must hold, each of the right kind, checked before a run continues
 * from it: a checkpoint edited by hand, truncated by a tool or of another format is refused with
 * the field that is wrong, instead of failing deep inside training (or, worse, training on).
 *
 * @module
 */
import { isRecord } from "../../canonical.ts";

const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
const isFinite = (x: unknown) => typeof x === "number" && Number.isFinite(x);
const isFloats = (x: unknown) =>
  typeof x === "string" && /^[A-Za-z0-9+/]*={0,2}$/.test(x) &&
  (Math.floor(x.length / 4) * 3 - (x.match(/=/g)?.length ?? 0)) % 4 === 0;
const isRows = (x: unknown) =>
  Array.isArray(x) &&
  x.every((row) => Array.isArray(row) && row.every((c) => typeof c === "string"));

function adamProblem(name: string, adam: unknown): string | undefined {
  if (!isRecord(adam)) return `${name} is not an object`;
  if (!isFloats(adam.m) || !isFloats(adam.v)) return `${name}.m or ${name}.v is not float data`;
  if (!isCount(adam.t)) return `${name}.t is not a count`;
  return undefined;
}

/**
 * What is wrong with the fields of a parsed checkpoint (its format already checked), or
 * undefined when each is of the right kind.
 *
 * @example
 * ```ts
 * import { checkpointFieldProblem } from "./checkpoint_fields.ts";
 * const problem = checkpointFieldProblem({ config_hash: "h", seconds: "1" });
 * if (problem !== "seconds is not a finite number of seconds") throw new Error(problem);
 * ```
 */
export function checkpointFieldProblem(data: Record<string, unknown>): string | undefined {
  if (typeof data.config_hash !== "string") return "config_hash is not a string";
  if (!isFinite(data.seconds) || (data.seconds as number) < 0) {
    return "seconds is not a finite number of seconds";
  }
  if (!isCount(data.iteration)) return `iteration ${JSON.stringify(data.iteration)} is not a count`;
  if (!isCount(data.timesteps)) return `timesteps ${JSON.stringify(data.timesteps)} is not a count`;
  if (!isFloats(data.policy)) return "policy is not float data";
  if (data.policy_optimizer !== undefined) {
    const problem = adamProblem("policy_optimizer", data.policy_optimizer);
    if (problem !== undefined) return problem;
  }
  const value = data.value;
  if (!isRecord(value)) return "value is not an object";
  if (!isFloats(value.params)) return "value.params is not float data";
  if (!isFinite(value.mean) || !isFinite(value.std)) {
    return "value.mean or value.std is not a number";
  }
  const adam = adamProblem("value.adam", value.adam);
  if (adam !== undefined) return adam;
  for (const field of ["progress", "eval"]) {
    if (!isRows(data[field])) return `${field} is not a list of CSV rows`;
  }
  if (data.adaptation !== undefined && !isRows(data.adaptation)) {
    return "adaptation is not a list of CSV rows";
  }
  if (data.progress_columns !== undefined && !isRows([data.progress_columns])) {
    return "progress_columns is not a list of column names";
  }
  return undefined;
}
