import assert from "node:assert/strict";
import { compareExperiment } from "../../src/analysis/comparison.ts";
import {
  type ComparisonOptions,
  type EvaluationPoint,
  type ExperimentResults,
  type RunResults,
  variantName,
  type VariantResults,
} from "../../src/analysis/comparison_types.ts";
import type { AblationPoint } from "../../src/experiment/expand.ts";
import { banditExperiment, resolve } from "../harness/_synthetic.ts";

const OPTIONS: ComparisonOptions = { seed: 0, resamples: 2000 };
const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} is not ${expected}`);

/** A run evaluated at the given iterations (10 timesteps and 2 seconds per iteration). */
function run(seed: number, byIteration: Record<number, number[]>): RunResults {
  const evaluations: EvaluationPoint[] = Object.entries(byIteration).map(([it, returns]) => ({
    iteration: Number(it),
    timesteps: Number(it) * 10,
    seconds: Number(it) * 2,
    returns: Float64Array.from(returns),
  }));
  return { seed, evaluations, training: [] };
}

/** A run with one (final) evaluation. */
function final(seed: number, returns: number[], iteration = 4): RunResults {
  return run(seed, { [iteration]: returns });
}

function variant(
  agent: string,
  runs: RunResults[],
  extra: { label?: string; point?: AblationPoint; classic?: boolean } = {},
): VariantResults {
  return {
    agent,
    label: extra.label ?? "",
    point: extra.point ?? {},
    classic: extra.classic ?? false,
    runs,
  };
}

function results(variants: VariantResults[], overrides: Record<string, unknown> = {}) {
  const config = resolve(banditExperiment(overrides));
  return { name: config.name, config, variants, missing: [] } satisfies ExperimentResults;
}

const TASKS = [0.5, 2, 3.5, 1];

Deno.test("compareExperiment() gives a difference CI of exactly [1, 1] for a baseline 1 lower on every task", () => {
  const rl2 = [0, 1, 2].map((s) => final(s, TASKS.map((t) => t + s + 1)));
  const trpo = [0, 1, 2].map((s) => final(s, TASKS.map((t) => t + s)));
  const ucb1 = [0, 1, 2].map((s) => final(s, TASKS.map((t) => t - s), 0));
  const c = compareExperiment(
    results([variant("rl2", rl2), variant("trpo", trpo), variant("ucb1", ucb1, { classic: true })]),
    OPTIONS,
  );
  const [rowRl2, rowTrpo] = c.settings[0]!.rows;
  const d = rowRl2!.versus!.difference;
  close(d.point, 1, "difference");
  close(d.lower, 1, "lower");
  close(d.upper, 1, "upper");
  // rl2's seed s beats trpo's seed s' on every task when s + 1 > s' (ties count ½).
  const wins = [0, 1, 2].flatMap((s) =>
    [0, 1, 2].map((sp) => s + 1 > sp ? 1 : s + 1 === sp ? 0.5 : 0)
  );
  const expected = wins.reduce<number>((a, b) => a + b, 0) / 9;
  close(rowRl2!.versus!.improvement.point, expected, "probability of improvement");
  assert.equal(rowRl2!.versus!.seeds, 3);
  assert.equal(rowTrpo!.versus, undefined, "the baseline is not compared with itself");
});

Deno.test("compareExperiment() final mean, std and interval match hand-worked values", () => {
  // Seed 0 scores 0 on every task, seed 1 scores 1: resampling 2 seeds gives a mean of 0, ½ or
  // 1 with chances ¼, ½, ¼, so the 95% interval is [0, 1].
  const trpo = [final(0, [0, 0, 0, 0]), final(1, [1, 1, 1, 1])];
  const c = compareExperiment(results([variant("trpo", trpo)], { baseline: undefined }), OPTIONS);
  const s = c.settings[0]!.rows[0]!.summary;
  assert.deepEqual(s.final, { point: 0.5, lower: 0, upper: 1 });
  close(s.std!, Math.SQRT1_2, "std of the seed means 0 and 1");
  assert.deepEqual(s.seeds, [0, 1]);
  assert.equal(s.finalIteration, 4);
  assert.equal(s.iqm, undefined, "no IQM with fewer than 5 seeds");
});

Deno.test("compareExperiment() shows the IQM of the seed means from 5 seeds", () => {
  // Seed means 1, 2, 3, 4, 100: ⌊0.25·5⌋ = 1 dropped at each end, IQM = mean(2, 3, 4) = 3.
  const runs = [1, 2, 3, 4, 100].map((m, s) => final(s, [m - 1, m + 1, m, m]));
  const c = compareExperiment(
    results([variant("rl2", runs)], { seeds: [0, 1, 2, 3, 4], baseline: undefined }),
    OPTIONS,
  );
  const iqm = c.settings[0]!.rows[0]!.summary.iqm!;
  close(iqm.point, 3, "IQM");
  assert.ok(iqm.lower <= 3 && 3 <= iqm.upper);
});

Deno.test("compareExperiment() picks the best evaluation point common to every seed", () => {
  const runs = [
    run(0, { 0: [1, 1], 2: [5, 5], 4: [3, 3] }),
    run(1, { 0: [1, 1], 2: [4, 6], 3: [9, 9], 4: [3, 3] }),
  ];
  const s = compareExperiment(results([variant("rl2", runs)]), OPTIONS).settings[0]!.rows[0]!
    .summary;
  assert.equal(s.best!.iteration, 2, "iteration 3 is missing from seed 0");
  close(s.best!.interval.point, 5, "best mean");
  close(s.final!.point, 3, "final mean");
});

Deno.test("compareExperiment() has no best point for a classic baseline evaluated once", () => {
  const ucb1 = [0, 1].map((s) => final(s, TASKS, 0));
  const s = compareExperiment(results([variant("ucb1", ucb1, { classic: true })]), OPTIONS)
    .settings[0]!.rows[0]!.summary;
  assert.equal(s.best, undefined);
  assert.equal(s.finalIteration, 0);
});

Deno.test("compareExperiment() bolds the best only when its interval is above all others", async (t) => {
  const constant = (value: number) => [0, 1, 2].map((s) => final(s, [value, value, value, value]));
  await t.step("separated intervals", () => {
    const c = compareExperiment(
      results([variant("rl2", constant(10)), variant("trpo", constant(5))]),
      OPTIONS,
    );
    assert.deepEqual(c.settings[0]!.rows.map((r) => r.bold), [true, false]);
  });
  await t.step("overlapping intervals", () => {
    const spread = [final(0, [0, 0, 0, 0]), final(1, [20, 20, 20, 20])];
    const c = compareExperiment(
      results([variant("rl2", spread), variant("trpo", constant(5))]),
      OPTIONS,
    );
    assert.deepEqual(c.settings[0]!.rows.map((r) => r.bold), [false, false]);
  });
  await t.step("intervals [6, 10] and [4, 7] overlap", () => {
    const two = (a: number, b: number) => [final(0, [a, a, a, a]), final(1, [b, b, b, b])];
    const c = compareExperiment(
      results([variant("rl2", two(6, 10)), variant("trpo", two(4, 7))]),
      OPTIONS,
    );
    assert.deepEqual(c.settings[0]!.rows.map((r) => r.summary.final), [
      { point: 8, lower: 6, upper: 10 },
      { point: 5.5, lower: 4, upper: 7 },
    ]);
    assert.deepEqual(c.settings[0]!.rows.map((r) => r.bold), [false, false]);
  });
});

Deno.test("compareExperiment() pairs the difference on the seeds both agents have", () => {
  const rl2 = [final(0, [9, 9, 9, 9]), final(1, [3, 3, 3, 3]), final(2, [4, 4, 4, 4])];
  const trpo = [final(1, [1, 1, 1, 1]), final(2, [1, 1, 1, 1])];
  const v = compareExperiment(results([variant("rl2", rl2), variant("trpo", trpo)]), OPTIONS)
    .settings[0]!.rows[0]!.versus!;
  assert.equal(v.seeds, 2);
  close(v.difference.point, (3 + 4) / 2 - 1, "difference over seeds 1 and 2");
});

Deno.test("compareExperiment() shows the paper's number per agent", () => {
  const c = compareExperiment(
    results([variant("rl2", [final(0, TASKS)]), variant("trpo", [final(0, TASKS)])], {
      paper: { table: "T", row: "r", values: { rl2: 6.7 } },
    }),
    OPTIONS,
  );
  assert.deepEqual(c.settings[0]!.rows.map((r) => r.paper), [6.7, undefined]);
});

Deno.test("compareExperiment() times trained agents to 95% of their paper number, or to --level", () => {
  const rl2 = [
    run(0, { 0: [1, 1], 2: [6, 6], 4: [8, 8] }),
    run(1, { 0: [1, 1], 2: [5, 6], 4: [7, 7] }),
  ];
  const trpo = [run(0, { 0: [1, 1], 4: [2, 2] }), run(1, { 0: [1, 1], 4: [3, 3] })];
  const ucb1 = [final(0, [9, 9], 0), final(1, [9, 9], 0)];
  const data = results(
    [variant("rl2", rl2), variant("trpo", trpo), variant("ucb1", ucb1, { classic: true })],
    { paper: { table: "T", row: "r", values: { rl2: 6, ucb1: 5 } } },
  );
  const [own, common] = [OPTIONS, { ...OPTIONS, level: 2.5 }].map((o) =>
    compareExperiment(data, o).settings[0]!.rows
  );
  // Level 0.95 × 6 = 5.7: seed 0 reaches it at iteration 2 (mean 6), seed 1 at 4 (5.5 < 5.7).
  const t = own![0]!.timeToLevel!;
  close(t.level, 5.7, "level");
  assert.deepEqual([t.seeds, t.reached], [2, 2]);
  close(t.timesteps!.mean, 30, "mean timesteps");
  close(t.timesteps!.std!, Math.sqrt(200), "std of 20 and 40");
  close(t.seconds!.mean, 6, "mean seconds");
  assert.deepEqual([t.seconds!.min, t.seconds!.max], [4, 8]);
  assert.equal(own![1]!.timeToLevel, undefined, "no paper number, no level");
  assert.equal(own![2]!.timeToLevel, undefined, "a classic baseline is not trained");
  // Level 2.5 for every agent: trpo's seed 1 reaches it at iteration 4, seed 0 never.
  assert.equal(common![0]!.timeToLevel!.timesteps!.mean, 20);
  const trpoTime = common![1]!.timeToLevel!;
  assert.deepEqual([trpoTime.level, trpoTime.reached, trpoTime.timesteps!.mean], [2.5, 1, 40]);
  assert.equal(common![2]!.timeToLevel, undefined);
});

Deno.test("compareExperiment() checks expectations with a one-sided bound and the mean", async (t) => {
  const shifted = (shift: number, noise: number[]) =>
    [0, 1, 2].map((s) => final(s, TASKS.map((x, i) => x + shift + noise[(s + i) % noise.length]!)));
  const expect = [
    { agent: "rl2", better_than: "trpo", confidence: 0.95 },
    { agent: "rl2", at_least: 3.25, confidence: 0.95 },
  ];
  await t.step("a clear improvement passes both", () => {
    const c = compareExperiment(
      results([variant("rl2", shifted(1, [0])), variant("trpo", shifted(0, [0]))], { expect }),
      OPTIONS,
    );
    const [better, atLeast] = c.expectations;
    assert.equal(better!.passed, true);
    close(better!.bound!, 1, "lower bound of a constant difference");
    // Mean of TASKS + 1 = 1.75 + 1 = 2.75 < 3.25.
    assert.equal(atLeast!.passed, false);
    close(atLeast!.value!, 2.75, "mean");
    assert.ok(atLeast!.bound! <= 2.75);
  });
  await t.step("no difference fails better_than (the bound must be above 0)", () => {
    const c = compareExperiment(
      results([variant("rl2", shifted(0, [0])), variant("trpo", shifted(0, [0]))], { expect }),
      OPTIONS,
    );
    assert.equal(c.expectations[0]!.passed, false);
    close(c.expectations[0]!.bound!, 0, "bound");
  });
  await t.step("a noisy small gain fails at 95% but passes at a lower confidence", () => {
    const noisy = (confidence: number) =>
      compareExperiment(
        results([variant("rl2", shifted(-0.1, [0, 3, -3, 1])), variant("trpo", shifted(0, [0]))], {
          expect: [{ agent: "rl2", better_than: "trpo", confidence }],
        }),
        OPTIONS,
      ).expectations[0]!;
    const strict = noisy(0.95);
    const loose = noisy(0.2);
    close(strict.value!, 0.15, "difference (−0.1 plus a mean noise of 0.25)");
    assert.ok(strict.bound! < loose.bound!, "a higher confidence gives a lower bound");
    assert.deepEqual([strict.passed, loose.passed], [false, true]);
  });
  await t.step("an agent without runs fails, saying why", () => {
    const c = compareExperiment(
      results([variant("rl2", []), variant("trpo", shifted(0, [0]))], { expect }),
      OPTIONS,
    );
    assert.deepEqual(c.expectations.map((e) => [e.passed, e.unavailable]), [
      [false, "no seeds with results for both"],
      [false, "no finished runs"],
    ]);
  });
});

Deno.test("compareExperiment() checks not_below against the upper end of the two-sided interval at the entry's confidence", async (t) => {
  // As in the hand-worked test: seed means 0 and 1, equal on every task, so the bootstrap's
  // means are 0, ½ and 1 with chances ¼, ½, ¼. The two-sided interval at confidence c ends at
  // the (1 + c) / 2 quantile: 1 when it exceeds ¾, ½ when it lies between ¼ and ¾.
  const rl2 = [final(0, [0, 0, 0, 0]), final(1, [1, 1, 1, 1])];
  const check = (expect: Record<string, unknown>[]) =>
    compareExperiment(results([variant("rl2", rl2)], { baseline: undefined, expect }), OPTIONS)
      .expectations;
  await t.step("within the interval: not_below passes where at_least fails", () => {
    const [atLeast, notBelow] = check([
      { agent: "rl2", at_least: 0.9 },
      { agent: "rl2", not_below: 0.9 },
    ]);
    assert.deepEqual([atLeast!.kind, atLeast!.passed], ["at_least", false]);
    assert.deepEqual(
      { ...notBelow },
      {
        variant: "rl2",
        kind: "not_below",
        threshold: 0.9,
        confidence: 0.95,
        passed: true,
        value: 0.5,
        bound: 1,
        seeds: 2,
      },
    );
  });
  await t.step("above the interval's upper end, not_below fails", () => {
    const [notBelow] = check([{ agent: "rl2", not_below: 1.1 }]);
    assert.deepEqual([notBelow!.passed, notBelow!.bound], [false, 1]);
  });
  await t.step("the interval's level follows the entry's confidence, two-sided", () => {
    // At 0.6 a one-sided bound (the 0.6 quantile) would be ½; the two-sided one is the 0.8
    // quantile, 1. At 0.4 the two-sided interval ends at the 0.7 quantile, ½.
    const [wide, narrow] = check([
      { agent: "rl2", not_below: 0.9, confidence: 0.6 },
      { agent: "rl2", not_below: 0.9, confidence: 0.4 },
    ]);
    assert.deepEqual([wide!.passed, wide!.bound], [true, 1]);
    assert.deepEqual([narrow!.passed, narrow!.bound], [false, 0.5]);
  });
  await t.step("an agent without runs fails, saying why", () => {
    const c = compareExperiment(
      results([variant("rl2", [])], {
        baseline: undefined,
        expect: [{ agent: "rl2", not_below: 0 }],
      }),
      OPTIONS,
    );
    assert.deepEqual(c.expectations.map((e) => [e.passed, e.unavailable]), [
      [false, "no finished runs"],
    ]);
  });
});

Deno.test("compareExperiment() checks an episode's claims on the adaptation curves, paired by seed", async (t) => {
  /** Seeds 0–3, each earning `curve(seed)` per episode of the trial at the final evaluation. */
  const adapting = (curve: (seed: number) => number[]): RunResults[] =>
    [0, 1, 2, 3].map((s) => ({ ...final(s, TASKS), adaptation: curve(s) }));
  const rl2 = adapting((s) => [1 + s, 3 + s, 4 + s]);
  const trpo = adapting((s) => [1 + s, 1 + s, 1 + s]);
  const check = (expect: Record<string, unknown>[], variants = [rl2, trpo]) =>
    compareExperiment(
      results([variant("rl2", variants[0]!), variant("trpo", variants[1]!)], { expect }),
      OPTIONS,
    ).expectations;
  await t.step(
    "a later episode against the first, and against another agent's same episode",
    () => {
      const [own, other, flat] = check([
        { agent: "rl2", episode: 2, better_than_episode: 1 },
        { agent: "rl2", episode: 3, better_than: "trpo" },
        { agent: "trpo", episode: 3, better_than_episode: 1 },
      ]);
      // Differences the same on every seed: every paired draw equals them.
      assert.deepEqual(
        [own!.variant, own!.other, own!.passed, own!.value, own!.bound, own!.seeds],
        ["rl2 episode 2", "rl2 episode 1", true, 2, 2, 4],
      );
      assert.deepEqual([other!.other, other!.passed, other!.value, other!.bound], [
        "trpo episode 3",
        true,
        3,
        3,
      ]);
      assert.deepEqual([flat!.passed, flat!.value, flat!.bound], [false, 0, 0]);
    },
  );
  await t.step("at_least and not_below on an episode resample its seeds", () => {
    // Episode 1 earns 0 on two seeds and 1 on two: the mean 0.5, its draws from 0 to 1.
    const halves = adapting((s) => [s % 2, 5]);
    const [atLeast, notBelow] = check([
      { agent: "rl2", episode: 1, at_least: 0.5 },
      { agent: "rl2", episode: 1, not_below: 0.9 },
    ], [halves, trpo]);
    assert.deepEqual([atLeast!.passed, atLeast!.value, atLeast!.seeds], [true, 0.5, 4]);
    assert.ok(atLeast!.bound! < 0.5 && atLeast!.bound! >= 0, `bound ${atLeast!.bound}`);
    assert.equal(notBelow!.passed, true);
    assert.ok(notBelow!.bound! > 0.5 && notBelow!.bound! <= 1, `bound ${notBelow!.bound}`);
  });
  await t.step("runs without an adaptation curve fail, saying why", () => {
    const [claim] = check([{ agent: "rl2", episode: 2, better_than_episode: 1 }], [
      [final(0, TASKS)],
      trpo,
    ]);
    assert.equal(claim!.passed, false);
    assert.match(claim!.unavailable!, /adaptation curve/);
  });
});

Deno.test("compareExperiment() makes one setting per ablation point and one table per axis", () => {
  const ablations = { "rl2.policy.gru": [4, 8], "rl2.trpo.max_kl": [0.01, 0.02] };
  const points = [4, 8].flatMap((gru) =>
    [0.01, 0.02].map((kl) => ({
      label: `gru=${gru}+max_kl=${kl}`,
      point: { "rl2.policy.gru": gru, "rl2.trpo.max_kl": kl },
      score: gru + kl * 100,
    }))
  );
  const variants = [
    ...points.map((p) =>
      variant("rl2", [final(0, [p.score, p.score, p.score, p.score])], {
        label: p.label,
        point: p.point,
      })
    ),
    variant("trpo", [final(0, [1, 1, 1, 1])]),
  ];
  const c = compareExperiment(results(variants, { ablations }), OPTIONS);
  assert.deepEqual(c.settings.map((s) => s.label), points.map((p) => p.label));
  for (const [i, setting] of c.settings.entries()) {
    assert.deepEqual(setting.rows.map((r) => r.variant), [variantName(variants[i]!), "trpo"]);
    close(setting.rows[0]!.versus!.difference.point, points[i]!.score - 1, setting.label);
  }
  const [gru, kl] = c.axes;
  assert.equal(gru!.path, "rl2.policy.gru");
  assert.deepEqual(gru!.columns, ["rl2.trpo.max_kl=0.01", "rl2.trpo.max_kl=0.02"]);
  assert.deepEqual(
    gru!.rows.map((r) => [r.value, ...r.cells.map((s) => s!.final!.point)]),
    [[4, 5, 6], [8, 9, 10]],
  );
  assert.deepEqual(kl!.columns, ["rl2.policy.gru=4", "rl2.policy.gru=8"]);
  assert.deepEqual(kl!.rows.map((r) => r.cells.map((s) => s!.final!.point)), [[5, 9], [6, 10]]);
  assert.equal(gru!.baseline!.variant, "trpo");
});

Deno.test("compareExperiment() learning curves align seeds on timesteps", () => {
  const seed = (s: number, stepsPerIteration: number): RunResults => ({
    seed: s,
    evaluations: [0, 2, 4].map((it) => ({
      iteration: it,
      timesteps: it * stepsPerIteration,
      seconds: it,
      returns: Float64Array.of(it, it),
    })),
    training: [],
  });
  // Seed 0 reaches 40 timesteps at iteration 4, seed 1 at 80: at 40 steps seed 1 is at
  // iteration 2 (score 2) and seed 0 at iteration 4 (score 4).
  const c = compareExperiment(results([variant("rl2", [seed(0, 10), seed(1, 20)])]), OPTIONS);
  const curve = c.settings[0]!.rows[0]!.curve!;
  const at40 = curve.find((p) => p.x === 40)!;
  assert.equal(at40.mean, 3);
  assert.equal(at40.seeds, 2);
  assert.equal(curve[curve.length - 1]!.seeds, 1, "only seed 1 reaches 80 timesteps");
});

Deno.test("compareExperiment() uses training returns for curves without intermediate evaluations", () => {
  const r: RunResults = {
    ...final(0, TASKS),
    training: [{ timesteps: 30, returnMean: 1 }, { timesteps: 60, returnMean: 2 }],
  };
  const c = compareExperiment(
    results([variant("rl2", [r])], { evaluation: { tasks: 4 } }),
    OPTIONS,
  );
  assert.equal(c.curveSource, "training");
  assert.deepEqual(c.settings[0]!.rows[0]!.curve!.map((p) => [p.x, p.mean]), [[30, 1], [60, 2]]);
});

Deno.test("compareExperiment() is deterministic for a seed and refuses an unknown baseline", () => {
  const noisy = [0, 1, 2].map((s) => final(s, TASKS.map((x, i) => x * (s + 1) + i)));
  const make = () => results([variant("rl2", noisy), variant("trpo", noisy.slice(1))]);
  assert.deepEqual(compareExperiment(make(), OPTIONS), compareExperiment(make(), OPTIONS));
  const other = compareExperiment(make(), { ...OPTIONS, seed: 1 });
  assert.notDeepEqual(
    other.settings[0]!.rows[0]!.summary,
    compareExperiment(make(), OPTIONS).settings[0]!.rows[0]!.summary,
  );
  assert.throws(
    () => compareExperiment(make(), { ...OPTIONS, baseline: "ppo" }),
    /has no agent "ppo"/,
  );
});
