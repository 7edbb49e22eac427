import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { argmaxRandomTie } from "../../src/baselines/argmax.ts";

Deno.test("argmaxRandomTie() returns the unique maximum wherever it is", () => {
  const rng = Rng.derive(1, "argmax-test");
  assert.equal(argmaxRandomTie([0.9, 0.1, 0.5], rng), 0);
  assert.equal(argmaxRandomTie([0.1, 0.5, 0.9], rng), 2);
  assert.equal(argmaxRandomTie([-3, -1, -2], rng), 1);
});

Deno.test("argmaxRandomTie() picks uniformly among tied maxima and never a smaller value", () => {
  const rng = Rng.derive(2, "argmax-test");
  const values = [0.7, 0.2, 0.7, 0.7, 0.1];
  const draws = 30000;
  const hits = new Array(values.length).fill(0);
  for (let i = 0; i < draws; i++) hits[argmaxRandomTie(values, rng)]++;
  assert.equal(hits[1] + hits[4], 0);
  const se = Math.sqrt((1 / 3) * (2 / 3) / draws);
  for (const arm of [0, 2, 3]) assert.ok(Math.abs(hits[arm] / draws - 1 / 3) < 4 * se, `${hits}`);
});

Deno.test("argmaxRandomTie() rejects an empty list", () => {
  assert.throws(() => argmaxRandomTie([], Rng.derive(3, "argmax-test")), /empty/);
});
