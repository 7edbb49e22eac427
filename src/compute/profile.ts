/**
 * Where the time of training goes, for the benchmark's profile (`deno task bench`): work is
 * timed in spans of a kind (a graph run, or host work between graph runs) inside named phases
 * (sampling, an epoch of the policy update, the value fit …), and the graph runs carry their
 * FLOPs, counted from their shapes. Nothing is timed unless a profile is recording: a span then
 * costs one test.
 *
 * Spans nest: a span's seconds exclude the spans inside it, so the kinds of a phase add up to
 * at most its wall time, and the rest of the phase's time is host work no span names.
 *
 * @module
 */
import { cpuUsage } from "node:process";
import type { StepNetwork } from "../policies/network.ts";

/** The time and FLOPs of one kind of work in one phase. */
export interface ProfileEntry {
  /** The phase, its enclosing phases first, joined by " / ". */
  readonly phase: string;
  /** What ran: "graph: …" for a graph run, "host: …" for work on the host. */
  readonly kind: string;
  /** Seconds, the spans nested inside excluded. */
  seconds: number;
  /** CPU seconds of the process (all its threads), the spans nested inside excluded. */
  cpuSeconds: number;
  /** Floating-point operations counted from the shapes (0 for host work). */
  flops: number;
  /** Spans. */
  calls: number;
}

/** A phase's wall and CPU seconds, its nested phases included. */
export interface PhaseTime {
  seconds: number;
  cpuSeconds: number;
}

/** A recording: entries in the order they first ran, and each phase's time in start order. */
export interface Profile {
  readonly entries: ProfileEntry[];
  readonly phases: Map<string, PhaseTime>;
}

interface Recording extends Profile {
  readonly byKey: Map<string, ProfileEntry>;
  readonly open: string[];
  /** Wall and CPU seconds of the spans nested in each open span, innermost last. */
  readonly nested: PhaseTime[];
}

/** Wall and CPU seconds since some fixed moment. */
function now(): PhaseTime {
  const cpu = cpuUsage();
  return { seconds: performance.now() / 1e3, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

let recording: Recording | undefined;

/** Starts recording (a fresh profile); {@link stopProfile} ends it and returns it. */
export function startProfile(): void {
  recording = { entries: [], phases: new Map(), byKey: new Map(), open: [], nested: [] };
}

/** Ends the recording and returns it (empty when none was started). */
export function stopProfile(): Profile {
  const r = recording ?? { entries: [], phases: new Map() };
  recording = undefined;
  return { entries: r.entries, phases: r.phases };
}

/** Runs `f` inside phase `name` (nested in the current phase). */
export function inPhase<T>(name: string, f: () => T): T {
  const r = recording;
  if (r === undefined) return f();
  r.open.push(name);
  const phase = r.open.join(" / ");
  const time = r.phases.get(phase) ?? { seconds: 0, cpuSeconds: 0 };
  r.phases.set(phase, time);
  const start = now();
  try {
    return f();
  } finally {
    const end = now();
    time.seconds += end.seconds - start.seconds;
    time.cpuSeconds += end.cpuSeconds - start.cpuSeconds;
    r.open.pop();
  }
}

/** Runs `f` as a span of `kind` in the current phase, with `flops` floating-point operations. */
export function timed<T>(kind: string, f: () => T, flops = 0): T {
  const r = recording;
  if (r === undefined) return f();
  r.nested.push({ seconds: 0, cpuSeconds: 0 });
  const start = now();
  try {
    return f();
  } finally {
    const end = now();
    const seconds = end.seconds - start.seconds, cpuSeconds = end.cpuSeconds - start.cpuSeconds;
    const inner = r.nested.pop()!;
    const outer = r.nested.at(-1);
    if (outer !== undefined) (outer.seconds += seconds, outer.cpuSeconds += cpuSeconds);
    const phase = r.open.join(" / ");
    const key = `${phase}\n${kind}`;
    let entry = r.byKey.get(key);
    if (entry === undefined) {
      entry = { phase, kind, seconds: 0, cpuSeconds: 0, flops: 0, calls: 0 };
      r.byKey.set(key, entry);
      r.entries.push(entry);
    }
    entry.seconds += seconds - inner.seconds;
    entry.cpuSeconds += cpuSeconds - inner.cpuSeconds;
    entry.flops += flops;
    entry.calls++;
  }
}

/**
 * Multiply–adds of one step (one row) of `net`'s forward pass: every weight matrix is used once
 * per step (a GRU's three gates' input and recurrent matrices and its output layer; an MLP's
 * layers). Elementwise work is not counted.
 */
export function stepMacs(net: StepNetwork): number {
  let macs = 0;
  for (const r of net.weights) {
    if ("dense" in r) macs += net.shapes[r.dense.v]!.reduce((a, b) => a * b, 1);
  }
  return macs;
}

/** FLOPs of a forward pass over `rows` steps; a backward pass counts twice as many. */
export function passFlops(net: StepNetwork, rows: number, pass: "forward" | "backward"): number {
  return 2 * stepMacs(net) * rows * (pass === "forward" ? 1 : 2);
}
