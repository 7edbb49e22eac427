// deno-lint-ignore-file no-explicit-any
/**
 * A headless Chromium driven over the DevTools protocol (Deno's WebSocket, no library), for the
 * browser tests of the served pages: navigate, evaluate, wait for a condition, take screenshots,
 * and collect console errors and uncaught exceptions.
 */
import { join } from "node:path";

/** The Chromium executable: $CHROMIUM_PATH, or chromium / google-chrome on PATH. */
export function findChromium(): string | undefined {
  const explicit = Deno.env.get("CHROMIUM_PATH");
  if (explicit) return explicit;
  const names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    for (const name of names) {
      try {
        if (Deno.statSync(join(dir, name)).isFile) return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

type Message = { id?: number; method?: string; params?: any; result?: any; error?: any };

/** One browser with one page. */
export class Browser {
  #process: Deno.ChildProcess;
  #socket: WebSocket;
  #stderr: Promise<void>;
  #profile: string;
  #next = 1;
  #pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  #session = "";
  /** Console errors and uncaught exceptions seen so far. */
  readonly errors: string[] = [];

  private constructor(p: Deno.ChildProcess, s: WebSocket, stderr: Promise<void>, profile: string) {
    this.#process = p;
    this.#socket = s;
    this.#stderr = stderr;
    this.#profile = profile;
    s.onmessage = (e) => this.#receive(JSON.parse(String(e.data)));
  }

  /** Starts `executable` headless with a page of `width` × `height`. */
  static async launch(executable: string, width = 1200, height = 900): Promise<Browser> {
    const profile = await Deno.makeTempDir({ prefix: "rl2lab-chromium-" });
    const process = new Deno.Command(executable, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--remote-debugging-port=0",
        "--remote-debugging-address=127.0.0.1",
        `--user-data-dir=${profile}`,
        `--window-size=${width},${height}`,
        "about:blank",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const lines = process.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    let url: string | undefined;
    const deadline = Date.now() + 30_000;
    while (url === undefined && Date.now() < deadline) {
      const { value, done } = await lines.read();
      if (done) break;
      buffered += value;
      url = buffered.match(/DevTools listening on (ws:\/\/\S+)/)?.[1];
    }
    const drain = (async () => {
      while (!(await lines.read()).done) { /* keep the pipe empty */ }
    })();
    if (url === undefined) {
      process.kill("SIGKILL");
      await process.status;
      await drain;
      throw new Error(`chromium did not start: ${buffered.slice(-2000)}`);
    }
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error(`cannot connect to ${url}`));
    });
    const browser = new Browser(process, socket, drain, profile);
    const { targetId } = await browser.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await browser.send("Target.attachToTarget", { targetId, flatten: true });
    browser.#session = sessionId;
    await browser.send("Runtime.enable", {}, true);
    await browser.send("Page.enable", {}, true);
    await browser.send("Log.enable", {}, true);
    await browser.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    }, true);
    return browser;
  }

  #receive(m: Message): void {
    if (m.id !== undefined) {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.error) p?.reject(new Error(JSON.stringify(m.error)));
      else p?.resolve(m.result);
      return;
    }
    if (m.method === "Runtime.consoleAPICalled" && m.params.type === "error") {
      this.errors.push(
        `console.error: ${m.params.args.map((a: any) => a.value ?? a.description).join(" ")}`,
      );
    } else if (m.method === "Runtime.exceptionThrown") {
      const d = m.params.exceptionDetails;
      this.errors.push(`exception: ${d.exception?.description ?? d.text}`);
    } else if (m.method === "Log.entryAdded" && m.params.entry.level === "error") {
      this.errors.push(`log: ${m.params.entry.text} ${m.params.entry.url ?? ""}`);
    }
  }

  /** Sends a DevTools command (to the page when `page`). */
  send(method: string, params: Record<string, unknown> = {}, page = false): Promise<any> {
    const id = this.#next++;
    const message = { id, method, params, ...(page && { sessionId: this.#session }) };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.send(JSON.stringify(message));
    });
  }

  /** Opens `url` and waits for its load event's document. */
  async goto(url: string): Promise<void> {
    await this.send("Page.navigate", { url }, true);
    await this.waitFor(
      `document.readyState === "complete" && location.href === ${JSON.stringify(url)}`,
    );
  }

  /** The value of `expression` in the page (awaited). */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    const r = await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    }, true);
    if (r.exceptionDetails) {
      throw new Error(
        `${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`,
      );
    }
    return r.result.value as T;
  }

  /** Waits until `expression` is truthy in the page; returns its value. */
  async waitFor<T = unknown>(expression: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const value = await this.evaluate<T>(expression).catch(() => undefined);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A PNG of the page (its full height up to `maxHeight`), written to `file`. */
  async screenshot(file: string, maxHeight = 1400): Promise<void> {
    const height = Math.min(
      maxHeight,
      await this.evaluate<number>("document.documentElement.scrollHeight"),
    );
    const width = await this.evaluate<number>("document.documentElement.clientWidth");
    const { data } = await this.send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: true,
      clip: { x: 0, y: 0, width, height, scale: 1 },
    }, true);
    await Deno.writeFile(file, Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
  }

  /** Closes the browser and waits for it to exit. */
  async close(): Promise<void> {
    await this.send("Browser.close").catch(() => undefined);
    if (this.#socket.readyState !== WebSocket.CLOSED) {
      const closed = new Promise((r) => this.#socket.addEventListener("close", r, { once: true }));
      this.#socket.close();
      await closed;
    }
    const timer = setTimeout(() => this.#process.kill("SIGKILL"), 5000);
    await this.#process.status;
    clearTimeout(timer);
    await this.#stderr;
    await Deno.remove(this.#profile, { recursive: true }).catch(() => undefined);
  }
}
