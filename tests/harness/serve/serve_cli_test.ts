import assert from "node:assert/strict";
import { join } from "node:path";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  isLoopback,
  parseServeArgs,
  serverCommandArgs,
} from "../../../src/harness/serve/serve_cli.ts";
import { writeLiveResults } from "./_live.ts";
import { PROJECT_ROOT } from "../../../src/project.ts";

Deno.test("serve: results/ on 127.0.0.1 by default; loopback told from other addresses", () => {
  assert.deepEqual(parseServeArgs([]), {
    dir: "results",
    host: DEFAULT_HOST,
    port: DEFAULT_PORT,
    allowHosts: [],
  });
  assert.deepEqual(parseServeArgs(["x", "--port", "0", "--allow-host", "a.lab"]), {
    dir: "x",
    host: "127.0.0.1",
    port: 0,
    allowHosts: ["a.lab"],
  });
  assert.throws(() => parseServeArgs(["--allow-host", "a/b"]), /--allow-host/);
  assert.throws(() => parseServeArgs(["--port", "http"]), /--port/);
  assert.throws(() => parseServeArgs(["--host", "a b"]), /--host/);
  assert.ok(isLoopback("127.0.0.1") && isLoopback("localhost") && isLoopback("::1"));
  assert.ok(!isLoopback("0.0.0.0") && !isLoopback("192.168.1.2"));
});

Deno.test("serve: the server process gets read of the folder and the scripts, net of its address", async () => {
  const args = await serverCommandArgs({
    dir: "/data/results",
    host: "127.0.0.1",
    port: 6170,
    allowHosts: [],
  });
  const flags = args.filter((a) => a.startsWith("--allow"));
  assert.equal(flags.length, 2);
  assert.equal(flags[1], "--allow-net=127.0.0.1:6170");
  const reads = flags[0]!.slice("--allow-read=".length).split(",");
  assert.equal(reads[0], "/data/results");
  assert.ok(reads.slice(1).every((p) => p.endsWith(".min.js")), reads.join(" "));
});

Deno.test("serve: the command serves a folder with those permissions and stops on SIGTERM", async () => {
  const parent = await Deno.makeTempDir({ prefix: "rl2lab-serve-" });
  await writeLiveResults(parent, 4);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--frozen",
      "--cached-only",
      "--allow-read",
      "--allow-run=deno",
      join(PROJECT_ROOT, "src/cli.ts"),
      "serve",
      parent,
      "--port",
      "0",
    ],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let out = "";
    while (!/http:\/\/127\.0\.0\.1:\d+\//.test(out)) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    const url = out.match(/http:\/\/127\.0\.0\.1:\d+/)?.[0];
    assert.ok(url !== undefined, out);
    for (const path of ["/api/index", "/api/experiment/live", "/static/vega-embed.js"]) {
      const res: Response = await fetch(`${url}${path}`);
      const body = await res.text();
      assert.equal(res.status, 200, `${path}: ${body.slice(0, 300)}`);
    }
  } finally {
    child.kill("SIGTERM");
    while (!(await reader.read()).done) { /* drain */ }
    await child.status;
    await Deno.remove(parent, { recursive: true });
  }
});
