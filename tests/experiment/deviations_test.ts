import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { parse } from "jsonc-parser";
import { isRecord } from "../../src/canonical.ts";
import { differingFields } from "../../src/experiment/differences.ts";
import {
  deviationProblems,
  fileDeviationProblems,
  parseDeviations,
} from "../../src/experiment/deviations.ts";
import { PROJECT_ROOT } from "../../src/project.ts";

/** Every experiment file under `experiments/` that extends another, relative to the project. */
function extendingFiles(folder = join(PROJECT_ROOT, "experiments")): string[] {
  const found: string[] = [];
  for (const entry of [...Deno.readDirSync(folder)].sort((a, b) => a.name < b.name ? -1 : 1)) {
    const path = join(folder, entry.name);
    if (entry.isDirectory) found.push(...extendingFiles(path));
    else if (entry.name.endsWith(".jsonc")) {
      const data: unknown = parse(Deno.readTextFileSync(path));
      if (isRecord(data) && "extends" in data) found.push(relative(PROJECT_ROOT, path));
    }
  }
  return found;
}

const FILES = extendingFiles();

Deno.test("the experiment files that extend another are found", () => {
  // 14 quick and 14 fast paper files, and the MDP adaptation-curve ablation.
  assert.ok(FILES.length >= 29, `only ${FILES.length} files: ${FILES.join(", ")}`);
  for (const tier of ["quick", "fast"]) {
    for (const table of ["table1", "table2"]) {
      const folder = join("experiments/paper", tier, table);
      const all = [...Deno.readDirSync(join(PROJECT_ROOT, folder))].map((e) =>
        join(folder, e.name)
      );
      assert.deepEqual(all.filter((f) => !FILES.includes(f)), [], `every file of ${folder}`);
    }
  }
});

for (const file of FILES) {
  Deno.test(`${file}: its header lists exactly the settings it changes from its parent`, async () => {
    const problems = await fileDeviationProblems(join(PROJECT_ROOT, file));
    assert.deepEqual(
      problems,
      [],
      `${file}: the header's deviation list does not match the differences ` +
        `\`deno task validate --explain ${file}\` reports:\n  ${problems.join("\n  ")}`,
    );
  });
}

const parent = {
  name: "paper",
  seeds: [0, 1, 2, 3, 4],
  agents: { rl2: { gru: 256, iterations: 1000 }, ucb1: { c: 0.1 } },
  expect: [{ agent: "rl2" }],
};
const child = {
  name: "fast",
  seeds: [0, 1, 2, 3, 4],
  agents: { rl2: { gru: 64, iterations: 1000 } },
  expect: [{ agent: "rl2" }, { agent: "rl2", not_below: 6.7 }],
};
const differences = differingFields(parent, child);
const header = [
  "// A fast file.",
  "//",
  "// Deviations from ../paper.jsonc, each with its reason:",
  "// - GRU 64: as fast,",
  "//   and as good.",
  "//     agents.rl2.gru: 256 → 64",
  "// - No UCB1, a longer expect block and its own name.",
  "//     agents.ucb1: {…} → absent",
  "//     expect: […] → […]",
  '//     name: "paper" → "fast"',
  "//",
  "// More prose, not part of the list: seeds: 5 → 3.",
];
const problemsOf = (lines: readonly string[]) =>
  deviationProblems(parseDeviations([...lines, "{}"].join("\n")), "../paper.jsonc", differences);

Deno.test("a deviation list that names every difference with its values passes", () => {
  assert.deepEqual(
    differences.map((d) => d.path.join(".")),
    ["agents.rl2.gru", "agents.ucb1", "expect", "name"],
  );
  assert.deepEqual(problemsOf(header), []);
  const spelt = header.with(
    8,
    '//     expect: [{"agent":"rl2"}] → [{"agent":"rl2"},' +
      '{"agent":"rl2","not_below":6.7}]',
  );
  assert.deepEqual(problemsOf(spelt), [], "values may be spelt out in full");
});

Deno.test("a deviation list fails on a missing, an extra or a wrong line, naming it", () => {
  assert.deepEqual(problemsOf(header.toSpliced(5, 1)), [
    "line 4: a reason with no setting line under it",
    "missing: agents.rl2.gru: 256 → 64",
  ]);
  assert.deepEqual(problemsOf(header.toSpliced(6, 0, "//     seeds: [0,1,2,3,4] → [0,1,2]")), [
    "line 7: extra: seeds does not differ from the parent's",
  ]);
  assert.deepEqual(problemsOf(header.with(5, "//     agents.rl2.gru: 256 → 32")), [
    "line 6: agents.rl2.gru: the header says 256 → 32; the resolved configs say 256 → 64",
  ]);
  assert.deepEqual(problemsOf(header.with(7, "//     agents.ucb1: {…} → {…}")), [
    "line 8: agents.ucb1: the header says {…} → {…}; the resolved configs say " +
    '{"c":0.1} → absent',
  ]);
  assert.deepEqual(problemsOf(header.with(8, '//     expect: "…" → […]')).length, 1);
  assert.deepEqual(problemsOf(header.toSpliced(6, 0, "//     agents.rl2.gru: 256 → 64")), [
    "line 7: agents.rl2.gru is listed twice",
  ]);
});

Deno.test("a deviation list fails when its heading, reasons or layout are wrong", () => {
  assert.match(
    problemsOf(header.slice(0, 2)).join("\n"),
    /^no deviation list in the header: a line "\/\/ Deviations from \.\.\/paper\.jsonc:"[^]*\nagents\.rl2\.gru: 256 → 64\n/,
  );
  assert.deepEqual(problemsOf(header.with(2, "// Deviations from the paper file:")), [
    'line 3: the heading names "the"; the file extends "../paper.jsonc"',
  ]);
  assert.deepEqual(problemsOf(header.toSpliced(3, 2)), [
    'line 4: a setting line before any reason ("// - …")',
    "missing: agents.rl2.gru: 256 → 64",
  ]);
  assert.deepEqual(problemsOf(header.with(5, "//    agents.rl2.gru: 256 → 64")), [
    'line 6: indented by 4 spaces; a reason starts "// - ", its text goes on "//   ", a setting ' +
    'line is "//     PATH: … → …"',
    "line 4: a reason with no setting line under it",
    "missing: agents.rl2.gru: 256 → 64",
  ]);
  assert.deepEqual(problemsOf(header.with(5, "//     agents.rl2.gru is now 64")), [
    "line 6: not a setting line \"PATH: PARENT'S VALUE → THIS FILE'S VALUE\"",
    "line 4: a reason with no setting line under it",
    "missing: agents.rl2.gru: 256 → 64",
  ]);
  assert.deepEqual(problemsOf(header.toSpliced(6, 0, "//   more reason after a setting")), [
    'line 7: reason text after its setting lines; a new reason starts "// - "',
  ]);
  assert.deepEqual(problemsOf(header.toSpliced(6, 0, "// prose that is no reason")), [
    'line 7: text in the list outside a reason; a reason starts "// - "',
  ]);
});
