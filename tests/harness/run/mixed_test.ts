import assert from "node:assert/strict";
import type { Checkpoint } from "../../../src/harness/run/checkpoint.ts";
import type { Manifest } from "../../../src/harness/run/manifest.ts";
import { mixedCommit, mixedMessage } from "../../../src/harness/run/mixed.ts";

const A = { commit: "a".repeat(40), dirty: false };
const B = { commit: "b".repeat(40), dirty: false };

const checkpoint = (git?: Checkpoint["git"]) => git === undefined ? {} : { git };
const manifest = (git: Manifest["git"]) => ({ git });

Deno.test("mixedCommit() names the checkpoint's commit only when it differs from the code now", () => {
  assert.equal(mixedCommit(checkpoint(A), manifest(A), B), A.commit);
  assert.equal(mixedCommit(checkpoint(A), manifest(A), A), undefined);
  assert.equal(mixedCommit(undefined, manifest(A), B), undefined, "no checkpoint");
  assert.equal(mixedCommit(checkpoint(A), manifest(A), null), undefined, "outside git now");
  assert.equal(mixedCommit(checkpoint(null), manifest(null), B), undefined, "written outside git");
});

Deno.test("mixedCommit() takes the checkpoint's record over its manifest's, which older checkpoints lack", () => {
  assert.equal(mixedCommit(checkpoint(B), manifest(A), B), undefined);
  assert.equal(mixedCommit(checkpoint(), manifest(A), B), A.commit);
  assert.equal(mixedCommit(checkpoint(), undefined, B), undefined);
});

Deno.test("mixedMessage() says both commits and the three ways on", () => {
  const text = mixedMessage("out/x/rl2/seed-0", A.commit, B);
  assert.match(text, new RegExp(`written by commit ${A.commit}, this is commit ${B.commit}`));
  assert.match(text, /check out a{12} to continue it, remove out\/x\/rl2\/seed-0 .*--allow-mixed/);
});
