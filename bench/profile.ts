/**
 * The profile of one training iteration (`src/compute/profile.ts`): for every phase (sampling,
 * value prediction, each epoch of the policy update, the KL and backtracking passes, each
 * epoch of the value fit) the wall and CPU seconds, FLOPs and GFLOP/s of its graph runs by
 * kind, and the seconds of its host work between them (objectives, weight normalisation and
 * its pull-back, Adam, copies, and the rest: the environments and action draws when sampling).
 *
 * @module
 */
import { type Profile, startProfile, stopProfile } from "../src/compute/profile.ts";
import type { Trainer } from "../src/learners/train.ts";

/** One row of a profile: a kind of work in a phase, or the host work no span names. */
export interface ProfileRow {
  phase: string;
  kind: string;
  seconds: number;
  cpuSeconds: number;
  /** FLOPs counted from the shapes (0 for host work). */
  flops: number;
  calls: number;
}

/** A profiled iteration: its rows in the order the phases started, and its totals. */
export interface IterationProfile {
  rows: ProfileRow[];
  seconds: number;
  cpuSeconds: number;
  flops: number;
}

/**
 * The profile's rows, phase by phase in the order they started; after each phase's spans, its
 * own time that no span and no nested phase accounts for, as "host: other".
 */
export function profileRows(profile: Profile): ProfileRow[] {
  const rows: ProfileRow[] = [];
  const phases = [...profile.phases.keys()];
  for (const phase of phases) {
    const own = profile.entries.filter((e) => e.phase === phase);
    const inner = phases.filter((p) =>
      p.startsWith(`${phase} / `) && !p.slice(phase.length + 3).includes(" / ")
    );
    const time = { ...profile.phases.get(phase)! };
    for (const t of [...own, ...inner.map((p) => profile.phases.get(p)!)]) {
      time.seconds -= t.seconds;
      time.cpuSeconds -= t.cpuSeconds;
    }
    rows.push(...own.map((e) => ({ ...e })));
    if (time.seconds > 1e-3) rows.push({ phase, kind: "host: other", ...time, flops: 0, calls: 0 });
  }
  return rows;
}

/** Profiles the learner's next iteration (run one untimed iteration first to warm it up). */
export function profileIteration(learner: Trainer): IterationProfile {
  startProfile();
  let profile: Profile;
  try {
    learner.iterate();
  } finally {
    profile = stopProfile();
  }
  const rows = profileRows(profile);
  const sum = (f: (r: ProfileRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    rows,
    seconds: sum((r) => r.seconds),
    cpuSeconds: sum((r) => r.cpuSeconds),
    flops: sum((r) => r.flops),
  };
}

const HEADER = `  ${"phase".padEnd(36)} ${"work".padEnd(22)}  ${"wall s".padStart(7)} ` +
  `${"CPU s".padStart(7)} ${"GFLOP".padStart(6)} ${"GFLOP/s".padStart(8)}  of CPU`;

/**
 * The profile as text lines: a row per phase and graph kind, one row for each phase's host
 * work with its parts, then the totals per kind and for the iteration beside `matmulGflops`.
 * GFLOP/s are per CPU second, the steadier figure on a shared machine.
 */
export function formatProfile(p: IterationProfile, matmulGflops: number): string[] {
  const rate = (flops: number, cpu: number) => flops === 0 ? "" : (flops / cpu / 1e9).toFixed(1);
  const line = (
    phase: string,
    kind: string,
    r: Pick<ProfileRow, "seconds" | "cpuSeconds" | "flops">,
  ) =>
    `  ${phase.padEnd(36)} ${kind.padEnd(22)}  ${r.seconds.toFixed(3).padStart(7)} ` +
    `${r.cpuSeconds.toFixed(3).padStart(7)} ${(r.flops / 1e9).toFixed(1).padStart(6)} ` +
    `${rate(r.flops, r.cpuSeconds).padStart(8)}  ${
      (100 * r.cpuSeconds / p.cpuSeconds).toFixed(1).padStart(5)
    }%`;
  const out = [HEADER];
  const phases = [...new Set(p.rows.map((r) => r.phase))];
  for (const phase of phases) {
    const rows = p.rows.filter((r) => r.phase === phase);
    for (const r of rows.filter((r) => r.kind.startsWith("graph: "))) {
      out.push(line(phase, r.kind.slice(7), r));
    }
    const host = rows.filter((r) => r.kind.startsWith("host: "));
    if (host.length === 0) continue;
    const total = { seconds: 0, cpuSeconds: 0, flops: 0 };
    for (const r of host) (total.seconds += r.seconds, total.cpuSeconds += r.cpuSeconds);
    const parts = host.map((r) => `${r.kind.slice(6)} ${r.cpuSeconds.toFixed(3)}`).join(", ");
    out.push(`${line(phase, "host", total)}  (${parts})`);
  }
  out.push("  by kind, over the iteration:");
  const kinds = new Map<string, ProfileRow>();
  for (const r of p.rows) {
    const k = kinds.get(r.kind) ?? { ...r, phase: "", seconds: 0, cpuSeconds: 0, flops: 0 };
    kinds.set(r.kind, {
      ...k,
      seconds: k.seconds + r.seconds,
      cpuSeconds: k.cpuSeconds + r.cpuSeconds,
      flops: k.flops + r.flops,
    });
  }
  for (const [kind, k] of kinds) out.push(line("", kind, k));
  out.push(
    `  iteration: ${p.seconds.toFixed(2)} s wall, ${p.cpuSeconds.toFixed(2)} s CPU, ` +
      `${(p.flops / 1e9).toFixed(1)} GFLOP, ${
        rate(p.flops, p.cpuSeconds)
      } GFLOP/s per CPU second = ` +
      `${(100 * p.flops / p.cpuSeconds / 1e9 / matmulGflops).toFixed(0)}% of this run's ` +
      `single-threaded 512×512 matmul (${matmulGflops.toFixed(1)} GFLOP/s per CPU second)`,
  );
  return out;
}
