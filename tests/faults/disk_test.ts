/**
 * A full disk, for real: the run's results go to a small tmpfs mounted in a user and mount
 * namespace of its own (`unshare -rm`, no root needed where the kernel allows it; the test is
 * skipped elsewhere), filled to 0 bytes free and then to a few pages free. Each failure names
 * the file it could not write and says to continue with `--resume`; once space is freed,
 * `--resume` ends the run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, PROJECT, readIfExists, resultsDir } from "./_task.ts";

const root = resultsDir("disk");
const FILE = fixture("lengthen.jsonc");
const OUT = join(root, "full");

/** Whether this machine lets a process mount a tmpfs in namespaces of its own. */
function tmpfsAllowed(): boolean {
  try {
    const probe = new Deno.Command("unshare", {
      args: ["-rm", "sh", "-c", `mount -t tmpfs -o size=64k tmpfs '${join(PROJECT, root)}'`],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    return probe.success;
  } catch {
    return false;
  }
}

/** The shell lines that run the task with the output folder's device filled to `free` KiB free. */
function attempt(name: string, free: number, resume: boolean): string {
  const deno = Deno.execPath();
  const log = join(root, name);
  return [
    `rm -f "$MNT/filler"`,
    `head -c $(( $(df -k --output=avail "$MNT" | tail -1) * 1024 - ${
      free * 1024
    } )) /dev/zero > "$MNT/filler"`,
    `'${deno}' task -q run ${FILE} --out ${OUT}${
      resume ? " --resume" : ""
    } > ${log}.out 2> ${log}.err`,
    `echo $? > ${log}.code`,
  ].join("\n");
}

Deno.test({
  name: "a full disk fails with the file and what to do; freed, --resume ends the run",
  ignore: !tmpfsAllowed(),
  fn: async () => {
    await Deno.mkdir(join(PROJECT, OUT), { recursive: true });
    const script = [
      `MNT='${join(PROJECT, OUT)}'`,
      `mount -t tmpfs -o size=512k tmpfs "$MNT" || exit 9`,
      attempt("empty", 0, false),
      attempt("pages", 12, true),
      `rm -f "$MNT/filler"`,
      `'${Deno.execPath()}' task -q run ${FILE} --out ${OUT} --resume > ${root}/freed.out 2>&1`,
      `echo $? > ${root}/freed.code`,
      `find "$MNT" -name '*.tmp' > ${root}/temps`,
    ].join("\n");
    const shell = await new Deno.Command("unshare", {
      args: ["-rm", "sh", "-c", script],
      cwd: PROJECT,
      env: { NO_COLOR: "1" },
    }).output();
    assert.equal(shell.code, 0, new TextDecoder().decode(shell.stderr));
    const read = async (name: string) => (await readIfExists(join(root, name)))!;
    for (const name of ["empty", "pages"]) {
      assert.equal((await read(`${name}.code`)).trim(), "1", name);
      const said = await read(`${name}.err`) + await read(`${name}.out`);
      assert.match(said, new RegExp(`cannot write ${OUT}/\\S+: No space left on device`), said);
      assert.match(said, /free some space .*then continue with --resume/, said);
    }
    assert.equal((await read("freed.code")).trim(), "0", await read("freed.out"));
    assert.match(await read("freed.out"), /runs: 1 done, 0 skipped, 0 failed/);
    assert.equal((await read("temps")).trim(), "", "no temporary file left");
  },
});
