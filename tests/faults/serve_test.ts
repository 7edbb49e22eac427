/**
 * `deno task serve` and `deno task report` through their real command lines: one line for a port
 * in use, a Host allow-list that binding beyond loopback keeps, and no read through a link.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT, resultsDir, task } from "./_task.ts";
import { banditExperiment, writeResults } from "../harness/_synthetic.ts";

const root = resultsDir("serve");

/** A running `deno task serve`: its address once listening, and how to stop it. */
interface Served {
  url: string;
  stop(): Promise<void>;
}

/** Starts `deno task serve ARGS…` and waits for the line giving its address. */
async function startServe(args: readonly string[]): Promise<Served> {
  const child = new Deno.Command("setsid", {
    args: [Deno.execPath(), "task", "-q", "serve", ...args],
    cwd: PROJECT,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
    env: { NO_COLOR: "1" },
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!/http:\/\/\S+:\d+\//.test(out)) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  const port = out.match(/http:\/\/\S+:(\d+)\//)?.[1];
  const stop = async () => {
    Deno.kill(-child.pid, "SIGTERM");
    while (!(await reader.read()).done) { /* drain */ }
    await child.status;
  };
  if (port === undefined) {
    await stop();
    throw new Error(`serve did not start: ${out}`);
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}

/** The status line of a GET of `/` sent to `url` with the Host header `host`. */
async function statusFor(url: string, host: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(url).port) });
  await conn.write(
    new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  );
  const answer = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
  return answer.slice(0, answer.indexOf("\r\n"));
}

Deno.test("serve: a port in use is one line, not a stack trace", async () => {
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = String((busy.addr as Deno.NetAddr).port);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "-q", "serve", root, "--port", port],
      cwd: PROJECT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    });
    const { code, stderr } = await child.output();
    const text = new TextDecoder().decode(stderr).trim();
    assert.equal(code, 1);
    assert.equal(text.split("\n").length, 1, text);
    assert.match(text, new RegExp(`^error: 127\\.0\\.0\\.1:${port} is already in use .*--port`));
  } finally {
    busy.close();
  }
});

Deno.test("serve: bound to 0.0.0.0 the Host check stays: the machine's names and --allow-host only", async () => {
  await Deno.mkdir(join(PROJECT, root, "wide"), { recursive: true });
  const served = await startServe([
    join(root, "wide"),
    "--host",
    "0.0.0.0",
    "--port",
    "0",
    "--allow-host",
    "results.lab",
  ]);
  try {
    const port = new URL(served.url).port;
    assert.match(await statusFor(served.url, "evil.example"), / 421 /);
    assert.match(await statusFor(served.url, `evil.example:${port}`), / 421 /);
    assert.match(await statusFor(served.url, `0.0.0.0:${port}`), / 421 /);
    assert.match(await statusFor(served.url, `results.lab:${port}`), / 200 /);
    assert.match(await statusFor(served.url, `127.0.0.1:${port}`), / 200 /);
    assert.match(await statusFor(served.url, `${Deno.hostname()}:${port}`), / 200 /);
  } finally {
    await served.stop();
  }
});

/** The data a report inlines: what its page shows. */
async function reportData(dir: string, out: string): Promise<Record<string, unknown>> {
  const { code, stderr } = await task("report", [dir, "--out", out]);
  assert.equal(code, 0, stderr);
  const html = await Deno.readTextFile(join(PROJECT, out));
  const boot = html.match(/<script type="application\/json" id="rl2lab-boot">(.*?)<\/script>/s);
  return JSON.parse(boot![1]!).data;
}

/** The value of `statistic` for `agent` in a page's table. */
function tableValue(data: Record<string, unknown>, agent: string, statistic: string): string {
  const table = data.table as { columns: string[]; rows: string[][] };
  const at = (c: string) => table.columns.indexOf(c);
  const row = table.rows.find((r) => r[at("agent")] === agent && r[at("statistic")] === statistic);
  return row?.[at("value")] ?? "none";
}

Deno.test("report and serve never read through a link: a linked eval.csv or progress.csv is refused", async () => {
  const outside = await Deno.makeTempDir();
  try {
    const dir = await writeResults(join(PROJECT, root, "links"), banditExperiment(), {
      score: () => 1,
    });
    const experiment = join(root, "links", "synthetic");
    const honest = await reportData(experiment, join(root, "links", "honest.html"));
    assert.equal(tableValue(honest, "trpo", "final_mean"), "1");
    assert.equal(tableValue(honest, "trpo", "seeds"), "3");

    const evalCsv = join(dir, "trpo", "seed-0", "eval.csv");
    await Deno.writeTextFile(
      join(outside, "eval.csv"),
      (await Deno.readTextFile(evalCsv)).replaceAll(/,1$/gm, ",9"),
    );
    await Deno.remove(evalCsv);
    await Deno.symlink(join(outside, "eval.csv"), evalCsv);
    const progressCsv = join(dir, "rl2", "seed-1", "progress.csv");
    await Deno.remove(progressCsv);
    await Deno.symlink("/etc/passwd", progressCsv);

    const linked = await reportData(experiment, join(root, "links", "linked.html"));
    assert.equal(tableValue(linked, "trpo", "final_mean"), "1", "the outside eval.csv was read");
    assert.equal(tableValue(linked, "trpo", "seeds"), "2");
    assert.equal(tableValue(linked, "rl2", "seeds"), "2");
    const html = await Deno.readTextFile(join(PROJECT, root, "links", "linked.html"));
    assert.ok(!html.includes("root:x:0"), "/etc/passwd was parsed");
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});
