/**
 * Declares a network's parameter tensors (shape and initialiser) in order; a dense matrix gets
 * weight-normalisation gains when asked (the backends turn them into effective weights).
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import { columnNorms, type DenseRef, type Norm, orthogonal, xavier } from "./network.ts";

type Init = (rng: Rng, tensors: Float32Array[]) => void;

/**
 * How weight-normalisation gains start: at the initial matrix's column norms, so the effective
 * weights start as Xavier/orthogonal ones (`norm`), or at 1, so every effective column starts
 * with unit norm (`one`, the RL² authors' code).
 */
export type GainInit = "norm" | "one";

/** Collects parameter shapes and initialisers; the order of calls is the parameter order. */
export class ParamBuilder {
  readonly shapes: number[][] = [];
  readonly #inits: Init[] = [];

  /** A builder whose weight-normalisation gains start as `gainInit` says. */
  constructor(readonly gainInit: GainInit = "norm") {}

  /** A `[fanIn, fanOut]` matrix (Xavier or orthogonal), with weight-norm gains when asked. */
  dense(fanIn: number, fanOut: number, init: "xavier" | "orthogonal", norm: Norm): DenseRef {
    const v = this.#add([fanIn, fanOut], (rng, t) => {
      if (init === "orthogonal") orthogonal(rng, fanIn, t[v]!);
      else xavier(rng, fanIn, fanOut, t[v]!);
    });
    if (norm !== "weight") return { v, g: -1 };
    const g = this.#add([fanOut], (_rng, t) => {
      if (this.gainInit === "one") t[g]!.fill(1);
      else t[g]!.set(columnNorms(t[v]!, fanIn, fanOut));
    });
    return { v, g };
  }

  /** A vector filled with a constant (biases 0, layer-norm gains 1). */
  vector(n: number, value: number): number {
    const i = this.#add([n], (_rng, t) => t[i]!.fill(value));
    return i;
  }

  /** Fresh parameters as one flat vector. */
  init(rng: Rng): Float32Array {
    const sizes = this.shapes.map((s) => s.reduce((a, b) => a * b, 1));
    const flat = new Float32Array(sizes.reduce((a, b) => a + b, 0));
    let offset = 0;
    const views = sizes.map((n) => {
      const view = flat.subarray(offset, offset + n);
      offset += n;
      return view;
    });
    for (const init of this.#inits) init(rng, views);
    return flat;
  }

  #add(shape: number[], init: Init): number {
    this.shapes.push(shape);
    this.#inits.push(init);
    return this.shapes.length - 1;
  }
}
