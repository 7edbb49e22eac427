/**
 * The server process of `deno task serve`, started by {@link ./serve_cli.ts} with the narrowest
 * permissions: read of the results folder and of the three chart scripts, net of its own address
 * and port (and, bound beyond loopback, of the machine's names for its Host allow-list).
 * Arguments: `DIR --host H --port P [--allow-host NAME]…` (DIR absolute, links resolved). Stops on
 * SIGINT or SIGTERM.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ResultsRoot } from "./files.ts";
import { isLoopback, serveResults } from "./server.ts";

/**
 * The names a request may give for this machine when it binds beyond loopback: its host name
 * and the addresses of its network interfaces (none on loopback: only loopback names apply).
 */
export function machineNames(host: string): string[] {
  if (isLoopback(host)) return [];
  const names = [Deno.hostname()];
  for (const i of Deno.networkInterfaces()) names.push(i.address.replace(/%.*$/, ""));
  return [...new Set(names)];
}

/** Serves the folder of the command line until SIGINT or SIGTERM; returns the exit code. */
export async function serveMain(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "allow-host": { type: "string", multiple: true, default: [] },
    },
  });
  const [dir] = positionals;
  if (dir === undefined || values.host === undefined || values.port === undefined) {
    console.error("usage: main.ts DIR --host HOST --port PORT");
    return 2;
  }
  const root = await ResultsRoot.open(dir);
  const controller = new AbortController();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const stop = () => controller.abort();
  for (const s of signals) Deno.addSignalListener(s, stop);
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = serveResults(root, {
      hostname: values.host,
      port: Number(values.port),
      names: [...values["allow-host"], ...machineNames(values.host)],
      signal: controller.signal,
      onListen: ({ hostname, port }) => {
        const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
        console.log(`serving ${dir} (read-only) at http://${shown}:${port}/ (Ctrl-C stops)`);
      },
    });
  } catch (e) {
    for (const s of signals) Deno.removeSignalListener(s, stop);
    console.error(listenError(values.host, values.port, e));
    return 1;
  }
  await server.finished;
  for (const s of signals) Deno.removeSignalListener(s, stop);
  return 0;
}

/** One line saying why the server cannot listen on `host` and `port`. */
export function listenError(host: string, port: string, e: unknown): string {
  const at = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  if (e instanceof Deno.errors.AddrInUse) {
    return `error: ${at} is already in use (another deno task serve?): pass --port N for ` +
      "another port, or --port 0 for any free one";
  }
  if (e instanceof Deno.errors.AddrNotAvailable) {
    return `error: cannot listen on ${at}: ${host} is not an address of this machine`;
  }
  return `error: cannot listen on ${at}: ${e instanceof Error ? e.message : e}`;
}

if (import.meta.main) Deno.exit(await serveMain(Deno.args));
