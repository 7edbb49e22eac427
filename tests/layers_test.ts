import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The layers of `src/`, lowest first: a module may import its own layer and those below it,
 * never one above, and no chain of imports may come back to where it started.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["rng.ts", "canonical.ts", "type_check.ts", "usage_error.ts", "project.ts", "settings"],
  ["envs"],
  ["policies"],
  ["compute"],
  ["backend.ts"],
  ["algos"],
  ["baselines"],
  ["learners"],
  ["experiment"],
  ["analysis"],
  ["harness"],
  ["cli.ts"],
];

const SRC = normalize(join(dirname(fileURLToPath(import.meta.url)), "..", "src"));

function layerOf(file: string): number {
  const top = relative(SRC, file).split("/")[0]!;
  const layer = LAYERS.findIndex((names) => names.includes(top));
  if (layer < 0) throw new Error(`src/${top} has no layer: add it to LAYERS`);
  return layer;
}

/** Every module of `src/` and the modules of `src/` it imports (or re-exports from). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) visit(path);
      else if (entry.name.endsWith(".ts")) {
        const text = Deno.readTextFileSync(path);
        const targets = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"/gms)]
          .map((m) => normalize(join(dirname(path), m[1]!)));
        graph.set(path, targets);
      }
    }
  };
  visit(SRC);
  return graph;
}

Deno.test("src/ imports run down the layers only", () => {
  const upward: string[] = [];
  for (const [from, targets] of importGraph()) {
    for (const to of targets) {
      if (layerOf(to) > layerOf(from)) {
        upward.push(`src/${relative(SRC, from)} imports src/${relative(SRC, to)}`);
      }
    }
  }
  assert.deepEqual(upward, [], `imports against the layers:\n${upward.join("\n")}`);
});

/**
 * The sub-layers of `src/harness/`, lowest first: runs (and reading their results) below the
 * comparison report, the pages (served, or written as one file) above it, and the paper's
 * tables on top; the files directly in `src/harness/` are entry points above them all.
 */
const HARNESS_LAYERS: readonly (readonly string[])[] = [["run"], ["report"], ["serve"], ["paper"]];

function harnessLayerOf(file: string): number | undefined {
  const parts = relative(join(SRC, "harness"), file).split("/");
  if (parts[0]!.startsWith("..")) return undefined;
  if (parts.length === 1) return HARNESS_LAYERS.length;
  const layer = HARNESS_LAYERS.findIndex((names) => names.includes(parts[0]!));
  if (layer < 0) throw new Error(`src/harness/${parts[0]} has no layer: add it to HARNESS_LAYERS`);
  return layer;
}

Deno.test("src/harness/ imports run down its sub-layers only (run, report, serve, paper)", () => {
  const upward: string[] = [];
  for (const [from, targets] of importGraph()) {
    const fromLayer = harnessLayerOf(from);
    if (fromLayer === undefined) continue;
    for (const to of targets) {
      const toLayer = harnessLayerOf(to);
      if (toLayer !== undefined && toLayer > fromLayer) {
        upward.push(`src/${relative(SRC, from)} imports src/${relative(SRC, to)}`);
      }
    }
  }
  assert.deepEqual(upward, [], `imports against the harness's layers:\n${upward.join("\n")}`);
});

Deno.test("src/ has no circle of imports", () => {
  const graph = importGraph();
  const state = new Map<string, "open" | "done">();
  const circles: string[] = [];
  const walk = (file: string, path: string[]) => {
    state.set(file, "open");
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") {
        const circle = [...path.slice(path.indexOf(next)), next];
        circles.push(circle.map((f) => `src/${relative(SRC, f)}`).join(" → "));
      } else if (state.get(next) === undefined) walk(next, [...path, next]);
    }
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (state.get(file) === undefined) walk(file, [file]);
  assert.deepEqual(circles, [], `circles:\n${circles.join("\n")}`);
});
