import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { conjugateGradient } from "../../src/algos/conjugate_gradient.ts";

function solveDirect(A: number[][], b: number[]): number[] {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

Deno.test("conjugateGradient() matches a direct solve on a random SPD system", () => {
  const rng = Rng.derive(5, "cg-test");
  const n = 8;
  const M = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
  const A = M.map((_, i) =>
    M.map((_, j) => M.reduce((s, row) => s + row[i]! * row[j]!, 0) + (i === j ? 0.5 : 0))
  );
  const b = Array.from({ length: n }, () => rng.normal());
  const matVec = (v: Float64Array) =>
    Float64Array.from(A, (row) => row.reduce((s, a, j) => s + a * v[j]!, 0));
  const x = conjugateGradient(matVec, b, 50, 1e-20);
  const expected = solveDirect(A, b);
  expected.forEach((e, i) => assert.ok(Math.abs(x[i]! - e) < 1e-6 * (1 + Math.abs(e)), `x[${i}]`));
});

Deno.test("conjugateGradient() with fewer iterations than dimensions still reduces the residual", () => {
  const diag = [1, 2, 3, 4, 5, 6];
  const matVec = (v: Float64Array) => v.map((x, i) => diag[i]! * x);
  const b = [1, 1, 1, 1, 1, 1];
  const x = conjugateGradient(matVec, b, 2);
  const r = matVec(x).map((y, i) => b[i]! - y);
  assert.ok(Math.hypot(...r) < Math.hypot(...b) * 0.5);
});
