/**
 * Which table an experiment's page and report show, through the real command lines: a table is
 * stale by content (what `compare` read, recorded beside it), not by file times, and a page shows
 * only tables computed from its own folder's runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT, resultsDir, task } from "./_task.ts";
import { banditExperiment, writeResults } from "../harness/_synthetic.ts";

const root = resultsDir("staleness");

/** The table a report of `dir` shows: its source and note. */
async function reportTable(dir: string): Promise<{ source: string; note?: string }> {
  const out = join(dir, "report.html");
  const { code, stderr } = await task("report", [dir, "--out", out]);
  assert.equal(code, 0, stderr);
  const html = await Deno.readTextFile(join(PROJECT, out));
  const boot = html.match(/<script type="application\/json" id="rl2lab-boot">(.*?)<\/script>/s);
  return JSON.parse(boot![1]!).data.table;
}

/** Every file below `dir`. */
async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) out.push(...await filesBelow(path));
    else out.push(path);
  }
  return out;
}

Deno.test("a compared folder whose files' times are shuffled (as a fresh clone has them) is not stale; an edited eval.csv is", async () => {
  const dir = join(root, "clone", "synthetic");
  await writeResults(join(PROJECT, root, "clone"), banditExperiment(), { score: () => 1 });
  const compared = await task("compare", [dir, "--format", "csv", "--resamples", "200"]);
  assert.equal(compared.code, 0, compared.stderr);
  // git checks files out in any order: make the table the oldest file and the runs the newest.
  const files = await filesBelow(join(PROJECT, dir));
  for (const [i, file] of files.entries()) {
    const old = file.endsWith("comparison.csv") || file.endsWith("comparison.inputs.json");
    const time = new Date(Date.now() + (old ? -3600_000 : i * 500));
    await Deno.utime(file, time, time);
  }
  const fresh = await reportTable(dir);
  assert.equal(fresh.source.endsWith("clone/synthetic/comparison.csv"), true, fresh.source);
  assert.equal(fresh.note, undefined);

  const evalCsv = join(PROJECT, dir, "trpo", "seed-1", "eval.csv");
  await Deno.writeTextFile(evalCsv, (await Deno.readTextFile(evalCsv)).replace(/,1\n/, ",2\n"));
  const stale = await reportTable(dir);
  assert.match(
    stale.note ?? "",
    /changed since \(.*trpo\/seed-1\/eval\.csv\): rerun deno task compare/,
  );
});

Deno.test("a page never shows another folder's table of the same experiment: mid-run it is computed from its own finished runs", async () => {
  const finished = join(root, "earlier", "synthetic");
  await writeResults(join(PROJECT, root, "earlier"), banditExperiment(), { score: () => 1 });
  const compared = await task("compare", [finished, "--format", "csv", "--resamples", "200"]);
  assert.equal(compared.code, 0, compared.stderr);
  const live = join(root, "live", "synthetic");
  await writeResults(join(PROJECT, root, "live"), banditExperiment(), {
    score: () => 3,
    status: (run) => run.id === "trpo/seed-0" ? "running" : "done",
  });
  const own = await reportTable(finished);
  assert.equal(own.source, join(finished.slice("results/".length), "comparison.csv"));
  const page = await reportTable(live);
  assert.equal(page.source, "computed");
  assert.match(page.note ?? "", /finished runs of this folder .*; 1 runs are not finished/);
});
