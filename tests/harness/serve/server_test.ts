import assert from "node:assert/strict";
import { taskSchema } from "../../../src/envs/registry.ts";
import { join } from "node:path";
import { growRun, writeLiveResults } from "./_live.ts";
import { MAX_FILE_BYTES, ResultsRoot } from "../../../src/harness/serve/files.ts";
import { formatBytes } from "../../../src/harness/run/read_nofollow.ts";
import { serveResults } from "../../../src/harness/serve/server.ts";
import { compareResults, DEFAULT_RESAMPLES } from "../../../src/harness/report/compare.ts";
import { parseCsv } from "../../../src/harness/run/csv.ts";

/** Serves a fresh synthetic results folder (rl2/seed-0 training at iteration 4) to `body`. */
async function withServer(
  body: (url: string, root: string, experiment: string) => Promise<void>,
  maxFileBytes?: number,
): Promise<void> {
  const parent = await Deno.makeTempDir({ prefix: "rl2lab-serve-" });
  const root = join(parent, "results");
  await Deno.mkdir(root);
  const experiment = await writeLiveResults(root, 4);
  const controller = new AbortController();
  let url = "";
  const server = serveResults(await ResultsRoot.open(root, maxFileBytes), {
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen: ({ port }) => url = `http://127.0.0.1:${port}`,
  });
  try {
    await body(url, root, experiment);
  } finally {
    controller.abort();
    await server.finished;
    await Deno.remove(parent, { recursive: true });
  }
}

async function get(url: string, init?: RequestInit): Promise<{ status: number; text: string }> {
  const res = await fetch(url, init);
  return { status: res.status, text: await res.text() };
}

/** A request sent as written (no URL normalisation, any Host header); the whole answer. */
async function raw(url: string, path: string, host = new URL(url).host): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(url).port) });
  await conn.write(
    new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  );
  return new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
}

/** Every file's path, size and modification time below `dir`. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    const info = await Deno.lstat(path);
    out.push(`${path} ${info.size} ${info.mtime?.getTime()}`);
    if (info.isDirectory) out.push(...await snapshot(path));
  }
  return out.sort();
}

Deno.test("serve: the index lists experiments and runs with status, iteration and time per iteration", async () => {
  await withServer(async (url) => {
    const index = JSON.parse((await get(`${url}/api/index`)).text);
    const [live] = index.experiments;
    assert.equal(live.name, "live");
    assert.deepEqual(live.agents, ["rl2", "trpo", "ucb1"]);
    assert.deepEqual(live.seeds, [0, 1, 2]);
    const run = live.runs.find((r: { id: string }) => r.id === "rl2/seed-0");
    assert.equal(run.status, "running");
    assert.equal(run.iteration, 4);
    assert.equal(run.iterations, 10);
    assert.equal(run.secondsPerIteration, 0.5);
    assert.equal(live.runs.filter((r: { status: string }) => r.status === "done").length, 8);
  });
});

Deno.test("serve: the experiment's table is compare's comparison.csv; curves have a point per evaluation", async () => {
  await withServer(async (url, _root, experiment) => {
    await growRun(join(experiment, "rl2", "seed-0"), 10);
    await Deno.writeTextFile(
      join(experiment, "rl2", "seed-0", "manifest.json"),
      (await Deno.readTextFile(join(experiment, "rl2", "seed-0", "manifest.json")))
        .replace('"running"', '"done"'),
    );
    const view = JSON.parse((await get(`${url}/api/experiment/live`)).text);
    assert.equal(view.table.source, "computed");
    const out = await Deno.makeTempDir();
    try {
      await compareResults({
        inputs: [experiment],
        out,
        formats: ["csv"],
        resamples: DEFAULT_RESAMPLES,
        seed: 0,
      });
      const csv = parseCsv(await Deno.readTextFile(join(out, "comparison.csv")));
      assert.deepEqual(view.table.rows, csv.rows);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
    // rl2 and trpo evaluated at 0, 2, 4, 6, 8, 10; ucb1 as a reference line.
    assert.equal(view.curves.length, 12);
    assert.deepEqual(view.references.map((r: { variant: string }) => r.variant), ["ucb1"]);
    assert.deepEqual(view.adaptation, []);
  });
});

Deno.test("serve: adaptation.csv gives the return per episode at the final common iteration", async () => {
  await withServer(async (url, _root, experiment) => {
    for (const seed of [0, 1, 2]) {
      const rows = [2, 4].flatMap((it) => [0, 1, 2].map((e) => `${it},${e},${it + e + seed / 10}`));
      await Deno.writeTextFile(
        join(experiment, "rl2", `seed-${seed}`, "adaptation.csv"),
        `iteration,episode,return\n${rows.join("\n")}\n`,
      );
    }
    const view = JSON.parse((await get(`${url}/api/experiment/live`)).text);
    assert.deepEqual(
      view.adaptation.map((p: { x: number; iteration: number; seeds: number }) => [
        p.x,
        p.iteration,
        p.seeds,
      ]),
      [[0, 4, 3], [1, 4, 3], [2, 4, 3]],
    );
    assert.ok(Math.abs(view.adaptation[1].mean - 5.1) < 1e-9);
  });
});

Deno.test("serve: when an agent's episode stands for K trajectories, adaptation is on compare's trajectories axis", async () => {
  await withServer(async (url, _root, experiment) => {
    const adaptation = (agent: string) =>
      Promise.all([0, 1, 2].map((seed) =>
        Deno.writeTextFile(
          join(experiment, agent, `seed-${seed}`, "adaptation.csv"),
          `iteration,episode,return\n${[1, 2, 3].map((e) => `4,${e},${e}`).join("\n")}\n`,
        )
      ));
    await adaptation("rl2");
    await adaptation("trpo");
    const episodes = JSON.parse((await get(`${url}/api/experiment/live`)).text);
    assert.equal(episodes.adaptationAxis, "episode");
    assert.equal(episodes.specs.adaptation.layer[0].encoding.x.scale, undefined);
    const resolvedFile = join(experiment, "experiment.resolved.json");
    const resolved = JSON.parse(await Deno.readTextFile(resolvedFile));
    // Fine-tuning evaluates the memoryless agent on continuous actions; written as a folder made
    // before it moved to evaluation.finetune spells it.
    resolved.task = taskSchema.parse({ kind: "navigation", episodes: 3 });
    resolved.agents.trpo.trpo.finetune = { trajectories: 20, lr: 0.1, later_lr: 0.05 };
    await Deno.writeTextFile(resolvedFile, JSON.stringify(resolved));
    const view = JSON.parse((await get(`${url}/api/experiment/live`)).text);
    assert.equal(view.adaptationAxis, "trajectories");
    const xs = (variant: string) =>
      view.adaptation.filter((p: { variant: string }) => p.variant === variant)
        .map((p: { x: number }) => p.x);
    assert.deepEqual(xs("rl2"), [0, 1, 2]);
    assert.deepEqual(xs("trpo"), [0, 20, 40]);
    const x = view.specs.adaptation.layer[0].encoding.x;
    assert.deepEqual([x.title, x.scale], [
      "trajectories of the task before the episode",
      { type: "symlog" },
    ]);
  });
});

Deno.test("serve: nothing outside the folder: traversal, encoded paths, symbolic links", async () => {
  await withServer(async (url, root, experiment) => {
    const secret = join(root, "..", "secret.txt");
    await Deno.writeTextFile(secret, "secret");
    await Deno.symlink(secret, join(experiment, "link.txt"));
    await Deno.symlink(join(root, ".."), join(root, "up"));
    assert.equal((await get(`${url}/files/live/experiment.resolved.json`)).status, 200);
    for (
      const path of [
        "/files/../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/%2E%2E%2Fsecret.txt",
        "/files/live/..%2f..%2fsecret.txt",
        "/files/%252e%252e/secret.txt",
        "/files//secret.txt",
        "/files/live/link.txt",
        "/files/up/secret.txt",
        "/files/live%00/experiment.resolved.json",
        "/files/live\\..\\..\\secret.txt",
        "/api/run/up",
        "/experiment/up",
        "/api/experiment/%2e%2e",
        "/static/../deno.json",
        "/static/vega.min.js",
      ]
    ) {
      const res = await fetch(new Request(`${url}${path}`));
      const text = await res.text();
      assert.ok(res.status === 404 || res.status === 400, `${path}: ${res.status}`);
      assert.ok(!text.includes("secret"), path);
    }
    // A raw socket sends `..` unnormalised.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(url).port) });
    await conn.write(new TextEncoder().encode(
      `GET /files/../secret.txt HTTP/1.1\r\nHost: 127.0.0.1:${
        new URL(url).port
      }\r\nConnection: close\r\n\r\n`,
    ));
    const answer = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
    assert.ok(!answer.includes("\r\n\r\nsecret"), answer);
  });
});

Deno.test("serve: read-only (GET and HEAD only, nothing written), other hosts refused", async () => {
  await withServer(async (url, root) => {
    const before = await snapshot(root);
    for (const path of ["/", "/api/index", "/api/experiment/live", "/api/run/live/rl2/seed-0"]) {
      assert.equal((await get(`${url}${path}`)).status, 200, path);
    }
    assert.equal((await get(`${url}/api/index`, { method: "POST" })).status, 405);
    assert.equal((await get(`${url}/files/live/x`, { method: "PUT", body: "x" })).status, 405);
    assert.match(await raw(url, "/", "evil.example"), /^HTTP\/1\.1 421/);
    assert.match(await raw(url, "/", `localhost:${new URL(url).port}`), /^HTTP\/1\.1 200/);
    assert.deepEqual(await snapshot(root), before);
  });
});

Deno.test("serve: an unchanged page answers 304 to its ETag", async () => {
  await withServer(async (url) => {
    const first = await fetch(`${url}/api/run/live/rl2/seed-0`);
    await first.body?.cancel();
    const etag = first.headers.get("ETag")!;
    const again = await fetch(`${url}/api/run/live/rl2/seed-0`, {
      headers: { "If-None-Match": etag },
    });
    await again.body?.cancel();
    assert.equal(again.status, 304);
  });
});

Deno.test("serve: a half-written or corrupt file shows its error and the rest is served", async () => {
  await withServer(async (url, _root, experiment) => {
    await Deno.writeTextFile(
      join(experiment, "trpo", "seed-1", "manifest.json"),
      '{"experiment": "li',
    );
    const progress = join(experiment, "rl2", "seed-2", "progress.csv");
    const text = await Deno.readTextFile(progress);
    await Deno.writeTextFile(progress, text.slice(0, text.length - 7));
    await Deno.writeTextFile(
      join(experiment, "trpo", "seed-2", "eval.csv"),
      'iteration,task\n1,"x\n',
    );
    const index = JSON.parse((await get(`${url}/api/index`)).text);
    const runs = index.experiments[0].runs;
    assert.equal(runs.length, 9);
    const broken = runs.find((r: { id: string }) => r.id === "trpo/seed-1");
    assert.equal(broken.status, "unknown");
    assert.match(broken.problems[0].file, /trpo\/seed-1\/manifest\.json$/);
    const view = JSON.parse((await get(`${url}/api/experiment/live`)).text);
    const files = view.problems.map((p: { file: string }) => p.file).join(" ");
    assert.match(files, /rl2\/seed-2\/progress\.csv/);
    assert.match(files, /trpo\/seed-2\/eval\.csv/);
    assert.ok(view.curves.some((p: { variant: string }) => p.variant === "rl2"));
    const run = await get(`${url}/api/run/live/rl2/seed-2`);
    assert.equal(run.status, 200);
    assert.match(JSON.parse(run.text).problems[0].error, /row|column|quote|record/i);
  });
});

Deno.test("serve: a file over the size limit is named on its pages, not read; the rest is served", async () => {
  const limit = 4096;
  await withServer(async (url, _root, experiment) => {
    const file = join(experiment, "trpo", "seed-0", "eval.csv");
    const rows = Array.from({ length: 1000 }, (_, i) => `${2 * (i % 3)},${i},1.5`);
    const big = `iteration,task,return\n${rows.join("\n")}\n`;
    await Deno.writeTextFile(file, big);
    const view = JSON.parse((await get(`${url}/api/experiment/live`)).text);
    const problem = view.problems.find((p: { file: string }) => p.file.endsWith("eval.csv"));
    assert.equal(problem?.file, "live/trpo/seed-0/eval.csv");
    assert.match(problem.error, new RegExp(`^${formatBytes(big.length)}, over the 4\\.1 kB`));
    assert.ok(view.curves.some((p: { variant: string }) => p.variant === "rl2"));
    assert.ok(view.curves.some((p: { variant: string }) => p.variant === "trpo"));
    const run = JSON.parse((await get(`${url}/api/run/live/trpo/seed-0`)).text);
    assert.equal(run.problems[0].file, "live/trpo/seed-0/eval.csv");
    assert.ok(run.progress.length > 0);
    assert.equal((await get(`${url}/files/live/trpo/seed-0/eval.csv`)).text, big, "streamed whole");
  }, limit);
  const docs = await Deno.readTextFile(new URL("../../../docs/serve.md", import.meta.url));
  assert.ok(docs.includes(`over ${formatBytes(MAX_FILE_BYTES)}`), "docs/serve.md states the limit");
});

Deno.test("serve: polling unchanged data rebuilds nothing (304 without reading a file); a change rebuilds", async () => {
  const parent = await Deno.makeTempDir({ prefix: "rl2lab-serve-" });
  const experiment = await writeLiveResults(parent, 4);
  const root = await ResultsRoot.open(parent);
  const controller = new AbortController();
  let url = "";
  const server = serveResults(root, {
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen: ({ port }) => url = `http://127.0.0.1:${port}`,
  });
  try {
    const paths = ["/api/index", "/api/experiment/live", "/api/run/live/rl2/seed-0"];
    const etags = new Map<string, string>();
    for (const path of paths) {
      const res = await fetch(`${url}${path}`);
      await res.body?.cancel();
      etags.set(path, res.headers.get("ETag")!);
    }
    const read = root.read;
    let reads = 0;
    root.read = <T>(path: string, kind: string, parse: (text: string) => T) => {
      reads++;
      return read.call(root, path, kind, parse) as Promise<T | undefined>;
    };
    for (const path of paths) {
      const res = await fetch(`${url}${path}`, { headers: { "If-None-Match": etags.get(path)! } });
      await res.body?.cancel();
      assert.equal(res.status, 304, path);
    }
    assert.equal(reads, 0, "an unchanged page was rebuilt");
    await growRun(join(experiment, "rl2", "seed-0"), 6);
    // The file system watcher's word comes within milliseconds; stamps are rechecked within 5 s.
    for (const path of paths) {
      const deadline = Date.now() + 10_000;
      let status = 304;
      while (status === 304 && Date.now() < deadline) {
        const headers = { "If-None-Match": etags.get(path)! };
        const res = await fetch(`${url}${path}`, { headers });
        await res.body?.cancel();
        status = res.status;
        if (status === 304) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(status, 200, `${path} did not follow the run`);
    }
    assert.ok(reads > 0);
  } finally {
    controller.abort();
    await server.finished;
    await Deno.remove(parent, { recursive: true });
  }
});
