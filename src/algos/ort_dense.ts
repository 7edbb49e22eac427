/**
 * The dense networks of `algos/dense_mlp.ts` as nodes of an ONNX graph: each layer's weights
 * (`[out, in]`, output-major, as the flat parameter vector stores them) and biases are graph
 * inputs, the forward pass keeps every layer's output, and the backward pass gives the
 * parameters' gradients in the same layout and, when asked, the gradient with respect to the
 * input. ReLU hidden layers and a linear output, as on the host.
 *
 * @module
 */
import type { DenseShape } from "./dense_mlp.ts";
import type { Graph } from "../compute/onnx_graph.ts";

/** A network's weight and bias inputs in a graph, layer by layer. */
export interface DenseInputs {
  /** The shape. */
  readonly shape: DenseShape;
  /** Per layer, the name of its `[out, in]` weight input. */
  readonly w: readonly string[];
  /** Per layer, the name of its `[out]` bias input. */
  readonly b: readonly string[];
}

/** The inputs named `NAME_wL`, `NAME_bL` of the network's layers. */
export function denseInputs(g: Graph, name: string, shape: DenseShape): DenseInputs {
  const { sizes } = shape;
  const layers = sizes.slice(1).map((_, l) => l);
  return {
    shape,
    w: layers.map((l) => g.input(`${name}_w${l}`, [sizes[l + 1]!, sizes[l]!])),
    b: layers.map((l) => g.input(`${name}_b${l}`, [sizes[l + 1]!])),
  };
}

/** The dims of layer `l`'s weights and biases and their offsets in the flat parameters. */
export function denseLayout(
  shape: DenseShape,
): { w: readonly number[]; wAt: number; b: readonly number[]; bAt: number }[] {
  const { sizes } = shape;
  let o = 0;
  return sizes.slice(1).map((out, l) => {
    const nIn = sizes[l]!;
    const layer = { w: [out, nIn], wAt: o, b: [out], bAt: o + out * nIn };
    o += out * (nIn + 1);
    return layer;
  });
}

/** A forward pass in the graph: `activations[0]` the input, then each layer's output. */
export function denseForwardNodes(g: Graph, net: DenseInputs, x: string): string[] {
  const acts = [x];
  const last = net.w.length - 1;
  net.w.forEach((w, l) => {
    const y = g.node("Gemm", [acts[l]!, w, net.b[l]!], { transB: 1 });
    acts.push(l < last ? g.node("Relu", [y]) : y);
  });
  return acts;
}

/** What a backward pass in the graph gives. */
export interface DenseGradNodes {
  /** Per layer, ∂/∂weights (`[out, in]`) and ∂/∂biases, when asked. */
  readonly w: string[];
  /** Per layer, ∂/∂biases. */
  readonly b: string[];
  /** ∂/∂input, when asked. */
  readonly input?: string;
}

/**
 * Backpropagates `dOut` through a kept forward pass (`acts` of {@link denseForwardNodes}):
 * parameter gradients when `params`, the input's when `input`.
 */
export function denseBackwardNodes(
  g: Graph,
  net: DenseInputs,
  acts: readonly string[],
  dOut: string,
  want: { params: boolean; input: boolean },
): DenseGradNodes {
  const w: string[] = [], b: string[] = [];
  const zero = g.constant([0]);
  let d = dOut;
  let input: string | undefined;
  for (let l = net.w.length - 1; l >= 0; l--) {
    if (want.params) {
      w.unshift(g.node("Gemm", [d, acts[l]!], { transA: 1 }));
      b.unshift(g.node("ReduceSum", [d, g.ints([0])], { keepdims: 0 }));
    }
    if (l === 0 && !want.input) break;
    const dx = g.node("MatMul", [d, net.w[l]!]);
    if (l === 0) input = dx;
    else {
      // ReLU's derivative: 0 where the layer's output was clamped.
      d = g.node("Where", [g.node("Greater", [acts[l]!, zero]), dx, zero]);
    }
  }
  return { w, b, ...(input !== undefined && { input }) };
}
