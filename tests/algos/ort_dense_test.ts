import assert from "node:assert/strict";
import { Rng } from "../../src/rng.ts";
import {
  denseBackward,
  denseForward,
  denseInit,
  denseOutput,
  denseShape,
} from "../../src/algos/dense_mlp.ts";
import { encodeModel, Graph } from "../../src/compute/onnx_graph.ts";
import {
  denseBackwardNodes,
  denseForwardNodes,
  denseInputs,
  denseLayout,
} from "../../src/algos/ort_dense.ts";
import { loadOrt } from "../../src/compute/ort_runtime.ts";

const ort = loadOrt(1);

Deno.test({
  name: "dense layers in a graph: outputs, parameter and input gradients as the host computes them",
  ignore: typeof ort === "string",
  fn() {
    if (typeof ort === "string") return;
    const shape = denseShape([3, 6, 5, 2]);
    const rows = 7;
    const r = Rng.derive(12, "ort-dense");
    const params = denseInit(shape, r);
    for (let i = 0; i < params.length; i++) params[i] = params[i]! + 0.3 * r.normal();
    const x = new Float64Array(rows * 3).map(() => r.normal());
    const d = new Float64Array(rows * 2).map(() => r.normal());

    const g = new Graph();
    const net = denseInputs(g, "net", shape);
    const acts = denseForwardNodes(g, net, g.input("x", [rows, 3]));
    g.output("y", acts[acts.length - 1]!);
    const back = denseBackwardNodes(g, net, acts, g.input("d", [rows, 2]), {
      params: true,
      input: true,
    });
    back.w.forEach((v, l) => g.output(`gw${l}`, v));
    back.b.forEach((v, l) => g.output(`gb${l}`, v));
    g.output("dx", back.input!);
    const session = ort.session(encodeModel(g, "dense"));
    const feeds = {
      x: ort.tensor(Float32Array.from(x), [rows, 3]),
      d: ort.tensor(Float32Array.from(d), [rows, 2]),
    } as Record<string, ReturnType<typeof ort.tensor>>;
    const layout = denseLayout(shape);
    layout.forEach((l, k) => {
      feeds[`net_w${k}`] = ort.tensor(params.subarray(l.wAt, l.bAt), l.w);
      feeds[`net_b${k}`] = ort.tensor(params.subarray(l.bAt, l.bAt + l.b[0]!), l.b);
    });
    const names = ["y", "dx", ...layout.flatMap((_, k) => [`gw${k}`, `gb${k}`])];
    const out = session.run(feeds, names);
    session.dispose();

    const cache = denseForward(shape, params, x, rows);
    const grad = new Float64Array(shape.count);
    const dx = denseBackward(shape, params, cache, d, grad);
    const close = (a: ArrayLike<number>, b: ArrayLike<number>, label: string) => {
      assert.equal(a.length, b.length, label);
      for (let i = 0; i < a.length; i++) {
        assert.ok(Math.abs(a[i]! - b[i]!) < 1e-5 * (1 + Math.abs(b[i]!)), `${label}[${i}]`);
      }
    };
    close(out.y!.data, denseOutput(cache), "outputs");
    close(out.dx!.data, dx, "input gradient");
    layout.forEach((l, k) => {
      close(out[`gw${k}`]!.data, grad.subarray(l.wAt, l.bAt), `weights ${k}`);
      close(out[`gb${k}`]!.data, grad.subarray(l.bAt, l.bAt + l.b[0]!), `biases ${k}`);
    });
  },
});
