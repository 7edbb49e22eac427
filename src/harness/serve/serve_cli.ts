/**
 * The `serve` subcommand: `serve [DIR] [--host ADDRESS] [--port N]`. Checks its arguments, then
 * runs the server ({@link ./main.ts}) in a `deno run` subprocess whose permissions are only what
 * it needs: `--allow-read` of the results folder and of the chart scripts in `node_modules`,
 * `--allow-net` of its own address and port, nothing else (no write, no run, no env).
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT } from "../../project.ts";
import { UsageError } from "../../usage_error.ts";
import { denoExecutable } from "../run/runner.ts";
import { VENDOR_SCRIPTS, vendorPath } from "./page.ts";
import { isLoopback } from "./server.ts";

/** The command line of `serve`. */
export const SERVE_USAGE = "serve [DIR] [--host ADDRESS] [--port N] [--allow-host NAME]…";
/** What `serve` does, in one line. */
export const SERVE_SUMMARY =
  "a local read-only web app over results/ (or DIR): runs, comparison tables, live curves";

/** The address served unless told otherwise: this machine only. */
export const DEFAULT_HOST = "127.0.0.1";
/** The port served unless told otherwise. */
export const DEFAULT_PORT = 6170;

export { isLoopback };

/** The parsed command line of `serve`. */
export interface ServeArgs {
  /** The results folder. */
  dir: string;
  /** The address to bind. */
  host: string;
  /** The port (0: the system picks). */
  port: number;
  /** Names the Host header may give besides the address, loopback and the machine's own. */
  allowHosts: string[];
}

/** Parses the arguments after `serve`. */
export function parseServeArgs(args: string[]): ServeArgs {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      host: { type: "string", default: DEFAULT_HOST },
      port: { type: "string", default: String(DEFAULT_PORT) },
      "allow-host": { type: "string", multiple: true, default: [] },
    },
  });
  if (positionals.length > 1) throw new UsageError("serve takes one results folder");
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || values.port.trim() === "") {
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  }
  if (!/^[A-Za-z0-9.:-]+$/.test(values.host)) {
    throw new UsageError(`--host must be an address or a host name, got "${values.host}"`);
  }
  for (const name of values["allow-host"]) {
    if (!/^[A-Za-z0-9.:-]+$/.test(name)) {
      throw new UsageError(`--allow-host must be a host name or an address, got "${name}"`);
    }
  }
  return {
    dir: positionals[0] ?? "results",
    host: values.host,
    port,
    allowHosts: values["allow-host"],
  };
}

/** The `deno run` arguments of the server process for `args` (DIR already resolved). */
export async function serverCommandArgs(args: ServeArgs): Promise<string[]> {
  const scripts = await Promise.all(
    (Object.keys(VENDOR_SCRIPTS) as (keyof typeof VENDOR_SCRIPTS)[]).map((s) =>
      Deno.realPath(vendorPath(s)).catch(() => {
        throw new Error(`${vendorPath(s)} is missing: run deno install --frozen`);
      })
    ),
  );
  // The link in node_modules as the server names it, and the file it leads to.
  const links = Object.keys(VENDOR_SCRIPTS).map((s) =>
    vendorPath(s as keyof typeof VENDOR_SCRIPTS)
  );
  const reads = [args.dir, ...links, ...scripts];
  if (reads.some((p) => p.includes(","))) {
    throw new Error(`cannot grant read of a path with a comma: ${reads.join(" ")}`);
  }
  const net = args.port === 0
    ? args.host
    : `${args.host.includes(":") ? `[${args.host}]` : args.host}:${args.port}`;
  return [
    "run",
    "--frozen",
    "--cached-only",
    "--no-prompt",
    `--config=${join(PROJECT_ROOT, "deno.json")}`,
    `--allow-read=${reads.join(",")}`,
    `--allow-net=${net}`,
    // Beyond loopback, the machine's names and addresses join the Host allow-list.
    ...(isLoopback(args.host) ? [] : ["--allow-sys=hostname,networkInterfaces"]),
    join(PROJECT_ROOT, "src/harness/serve/main.ts"),
    args.dir,
    "--host",
    args.host,
    "--port",
    String(args.port),
    ...args.allowHosts.flatMap((name) => ["--allow-host", name]),
  ];
}

/** Runs `serve` with the arguments after its name; returns the exit code. */
export async function serveCommand(args: string[]): Promise<number> {
  const parsed = parseServeArgs(args);
  let dir: string;
  try {
    dir = await Deno.realPath(isAbsolute(parsed.dir) ? parsed.dir : resolve(parsed.dir));
    if (!(await Deno.stat(dir)).isDirectory) throw new Error("not a folder");
  } catch (e) {
    throw new UsageError(`${parsed.dir}: no such folder (${e instanceof Error ? e.message : e})`);
  }
  if (!isLoopback(parsed.host)) {
    console.error(
      `warning: serving on ${parsed.host}: anyone who can reach this machine on port ` +
        `${parsed.port} can read ${parsed.dir} (results, manifests, logs); the default, ` +
        `${DEFAULT_HOST}, serves this machine only. Requests must name this machine (its host ` +
        "name or an address) or a name given with --allow-host",
    );
  }
  const child = new Deno.Command(denoExecutable(), {
    args: await serverCommandArgs({ ...parsed, dir }),
    cwd: PROJECT_ROOT,
    stdin: "null",
  }).spawn();
  // Ctrl-C reaches the server too (same process group); SIGTERM to this process is passed on.
  const forward = () => child.kill("SIGTERM");
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? [] : ["SIGTERM", "SIGINT"];
  for (const s of signals) Deno.addSignalListener(s, forward);
  const status = await child.status;
  for (const s of signals) Deno.removeSignalListener(s, forward);
  return status.signal === "SIGINT" || status.signal === "SIGTERM" ? 0 : status.code;
}
