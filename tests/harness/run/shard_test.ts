import assert from "node:assert/strict";
import { parseShard, selectShard } from "../../../src/harness/run/shard.ts";

Deno.test("parseShard() reads i/N and rejects anything else", () => {
  assert.deepEqual(parseShard("3/16"), { index: 3, count: 16 });
  assert.deepEqual(parseShard("1/1"), { index: 1, count: 1 });
  for (const bad of ["0/3", "4/3", "3", "1/0", "a/b", "1/2/3", "-1/2", "1.5/3"]) {
    assert.throws(() => parseShard(bad), /--shard must be i\/N/, bad);
  }
});

Deno.test("selectShard() splits into disjoint, covering, balanced shards independent of input order", () => {
  const ids = Array.from({ length: 11 }, (_, i) => `run-${(i * 7) % 11}`);
  const reversed = [...ids].reverse();
  for (const count of [1, 2, 3, 5, 11, 13]) {
    const shards = Array.from(
      { length: count },
      (_, i) => selectShard(ids, (x) => x, { index: i + 1, count }),
    );
    const all = shards.flat();
    assert.equal(all.length, ids.length);
    assert.deepEqual(new Set(all), new Set(ids));
    const sizes = shards.map((s) => s.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
    shards.forEach((shard, i) => {
      // The same shard whatever order the items come in, kept in the input's order.
      const other = selectShard(reversed, (x) => x, { index: i + 1, count });
      assert.deepEqual(new Set(other), new Set(shard));
      assert.deepEqual(shard, ids.filter((id) => shard.includes(id)));
    });
  }
});

Deno.test("selectShard() takes every N-th id in sorted order, starting at i", () => {
  const ids = ["c", "a", "e", "b", "d", "f"];
  const sorted = [...ids].sort();
  const second = selectShard(ids, (x) => x, { index: 2, count: 3 });
  assert.deepEqual(new Set(second), new Set([sorted[1], sorted[4]]));
});
