import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import { ParamBuilder } from "../../src/policies/params.ts";
import { columnNorms } from "../../src/policies/network.ts";

/** The tensors of a builder's fresh parameters, in order. */
function tensors(b: ParamBuilder, seed: number): Float32Array[] {
  const flat = b.init(Rng.derive(seed, "params-test"));
  let offset = 0;
  return b.shapes.map((shape) => {
    const n = shape.reduce((x, y) => x * y, 1);
    return flat.subarray(offset, offset += n);
  });
}

Deno.test("ParamBuilder: weight-norm gains start at the columns' norms, or at 1 when asked", () => {
  for (const gainInit of ["norm", "one"] as const) {
    const b = new ParamBuilder(gainInit);
    const ref = b.dense(7, 5, "xavier", "weight");
    const t = tensors(b, 3);
    const expected = gainInit === "one"
      ? new Float32Array(5).fill(1)
      : columnNorms(t[ref.v]!, 7, 5);
    assert.deepEqual(t[ref.g], expected);
    assert.ok(t[ref.v]!.some((x) => x !== 0), "the direction is drawn as before");
  }
  assert.equal(
    new ParamBuilder("one").dense(7, 5, "xavier", "none").g,
    -1,
    "no gains without norm",
  );
});
