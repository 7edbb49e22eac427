/**
 * Building ONNX graphs from code: a {@link Graph} collects nodes whose values are named by
 * strings, {@link graphOps} records the networks' {@link Ops} as such nodes, and
 * {@link encodeModel} writes the `ModelProto` bytes ONNX Runtime loads. Values are float32;
 * opset 17.
 *
 * @module
 */
import proto from "onnx-proto";
import type { onnx } from "onnx-proto";
import type { Ops, Standardized } from "../policies/ops.ts";

// The package is CommonJS: its namespace object is the default export's `onnx`.
const pb = (proto as unknown as { onnx: typeof onnx }).onnx;

/** The opset the graphs are written against. */
export const OPSET = 17;

/** A node attribute: an integer, a float, a list of integers, a tensor, or a subgraph. */
export type Attribute =
  | number
  | { float: number }
  | { tensor: onnx.ITensorProto }
  | readonly number[]
  | Graph;

/** A dimension: a size, or the name of a size fixed only when the graph runs. */
export type Dim = number | string;

/** An ONNX graph under construction; values are referred to by name. */
export class Graph {
  readonly #nodes: onnx.INodeProto[] = [];
  readonly #inputs: onnx.IValueInfoProto[] = [];
  readonly #outputs: onnx.IValueInfoProto[] = [];
  #count = 0;

  /** @param prefix Prefix of generated value names (distinct in nested graphs). */
  constructor(readonly prefix = "v") {}

  /** Declares a float32 input; `dims` undefined leaves its shape unspecified. */
  input(name: string, dims?: readonly Dim[]): string {
    this.#inputs.push(valueInfo(name, pb.TensorProto.DataType.FLOAT, dims));
    return name;
  }

  /** Declares `value` as an output named `name` (through an Identity when the names differ). */
  output(name: string, value: string, dims?: readonly Dim[]): void {
    if (value !== name) this.#nodes.push({ opType: "Identity", input: [value], output: [name] });
    this.#outputs.push(valueInfo(name, pb.TensorProto.DataType.FLOAT, dims));
  }

  /**
   * Declares a value computed in this graph as an output under its own name (no copy); the
   * outputs of a loop body are matched by position, so their names do not matter.
   */
  outputValue(value: string, dims?: readonly Dim[]): void {
    this.#outputs.push(valueInfo(value, pb.TensorProto.DataType.FLOAT, dims));
  }

  /**
   * Adds a node and returns the names of its outputs: `outputs` generated names, or the names
   * given (so that a graph output needs no copy under another name).
   */
  nodes(
    op: string,
    inputs: readonly string[],
    attrs: Record<string, Attribute> = {},
    outputs: number | readonly string[] = 1,
  ) {
    const out = typeof outputs === "number"
      ? Array.from({ length: outputs }, () => `${this.prefix}${this.#count++}`)
      : [...outputs];
    this.#nodes.push({
      opType: op,
      input: [...inputs],
      output: out,
      attribute: Object.entries(attrs).map(([name, a]) => attribute(name, a)),
    });
    return out;
  }

  /** Adds a node with one output and returns its name. */
  node(op: string, inputs: readonly string[], attrs: Record<string, Attribute> = {}): string {
    return this.nodes(op, inputs, attrs)[0]!;
  }

  /** A float32 constant (a scalar when `dims` is empty). */
  constant(values: readonly number[], dims: readonly number[] = []): string {
    const t: onnx.ITensorProto = {
      dataType: pb.TensorProto.DataType.FLOAT,
      dims: [...dims],
      floatData: [...values],
    };
    return this.node("Constant", [], { value: { tensor: t } });
  }

  /** An int64 constant vector (shapes, axes). */
  ints(values: readonly number[]): string {
    const t: onnx.ITensorProto = {
      dataType: pb.TensorProto.DataType.INT64,
      dims: [values.length],
      int64Data: [...values],
    };
    return this.node("Constant", [], { value: { tensor: t } });
  }

  /** `x` reshaped (0 keeps a dimension, −1 infers one). */
  reshape(x: string, shape: readonly number[]): string {
    return this.node("Reshape", [x, this.ints(shape)]);
  }

  /** The graph as a protobuf message. */
  proto(name: string): onnx.IGraphProto {
    return { name, node: this.#nodes, input: this.#inputs, output: this.#outputs };
  }
}

function valueInfo(name: string, elemType: number, dims?: readonly Dim[]): onnx.IValueInfoProto {
  const shape = dims === undefined ? undefined : {
    dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })),
  };
  return { name, type: { tensorType: { elemType, ...(shape && { shape }) } } };
}

function attribute(name: string, a: Attribute): onnx.IAttributeProto {
  const T = pb.AttributeProto.AttributeType;
  if (a instanceof Graph) return { name, type: T.GRAPH, g: a.proto(name) };
  if (typeof a === "number") return { name, type: T.INT, i: a };
  if ("tensor" in a) return { name, type: T.TENSOR, t: a.tensor };
  if ("float" in a) return { name, type: T.FLOAT, f: a.float };
  return { name, type: T.INTS, ints: [...a] };
}

/** The encoded `ModelProto` of a graph, ready for `InferenceSession` creation. */
export function encodeModel(graph: Graph, name: string): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: "rl2lab",
    opsetImport: [{ domain: "", version: OPSET }],
    graph: graph.proto(name),
  };
  return pb.ModelProto.encode(pb.ModelProto.create(model)).finish();
}

/** {@link Ops} that add nodes to `g` and return the names of their results. */
export function graphOps(g: Graph): Ops<string> {
  const binary = (op: string) => (a: string, b: string) => g.node(op, [a, b]);
  const meanLast = (x: string) => g.node("ReduceMean", [x], { axes: [-1], keepdims: 1 });
  return {
    matMul: binary("MatMul"),
    matMulTA: (a, b) => g.node("Gemm", [a, b], { transA: 1 }),
    add: binary("Add"),
    sub: binary("Sub"),
    mul: binary("Mul"),
    addN: (xs) => (xs.length === 1 ? xs[0]! : g.node("Sum", xs)),
    scale: (a, c) => g.node("Mul", [a, g.constant([c])]),
    rsub: (c, a) => g.node("Sub", [g.constant([c]), a]),
    square: (a) => g.node("Mul", [a, a]),
    sigmoid: (a) => g.node("Sigmoid", [a]),
    tanh: (a) => g.node("Tanh", [a]),
    relu: (a) => g.node("Relu", [a]),
    step: (a) =>
      g.node("Cast", [g.node("Greater", [a, g.constant([0])])], {
        to: pb.TensorProto.DataType.FLOAT,
      }),
    sumRows: (a) => g.node("ReduceSum", [a, g.ints([0])], { keepdims: 0 }),
    standardize(x): Standardized<string> {
      const centred = g.node("Sub", [x, meanLast(x)]);
      const variance = meanLast(g.node("Mul", [centred, centred]));
      const invStd = g.node("Reciprocal", [
        g.node("Sqrt", [g.node("Add", [variance, g.constant([1e-5])])]),
      ]);
      return { xhat: g.node("Mul", [centred, invStd]), invStd };
    },
    standardizeBackward(d, s) {
      const meanD = meanLast(d);
      const meanDx = meanLast(g.node("Mul", [d, s.xhat]));
      const inner = g.node("Sub", [g.node("Sub", [d, meanD]), g.node("Mul", [s.xhat, meanDx])]);
      return g.node("Mul", [s.invStd, inner]);
    },
  };
}
