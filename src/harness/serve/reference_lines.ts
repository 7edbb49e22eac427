/**
 * How the reference lines of a chart are told apart. A classic baseline's line is solid and the
 * paper's dashed; lines that coincide on the chart (closer than {@link COINCIDE_PX} pixels, as
 * Gittins and UCB1 on a bandit) share their length in turn, each drawing one dash of every
 * period in its colour, so that none hides another. Every line is labelled at the right of the
 * plot with its agent; labels closer than {@link LABEL_PX} pixels are stacked around their mean.
 *
 * @module
 */
import { MAML_PAPER_STAGES } from "../../analysis/paper_table.ts";

/** Lines closer than this, in pixels, coincide. */
export const COINCIDE_PX = 3;
/** A label's height in pixels. */
export const LABEL_PX = 12;
/** The dash of the paper's lines; a baseline's is solid. */
export const PAPER_DASH = [6, 4];
/** The dash length of coinciding lines, which take turns. */
const TURN = 8;

/** A horizontal reference line: a classic baseline's mean, or the paper's number. */
export interface ReferenceValue {
  /** The agent (for its colour). */
  variant: string;
  /** `baseline` (a classic agent's final mean) or `paper`. */
  kind: "baseline" | "paper";
  /** Its value. */
  value: number;
}

/** What this module reads of a point of the page's curves. */
interface CurvePoint {
  variant: string;
  agent: string;
  x: number;
  lower: number;
  upper: number;
}

/** A reference line as the chart draws it. */
export interface ReferenceLine extends ReferenceValue {
  /** Its SVG dash array. */
  dash: number[];
  /** Its label: the agent, and "(paper)" for the paper's number. */
  label: string;
  /** Where its label sits: the value of its stack's middle… */
  labelValue: number;
  /** …and its offset from there, in pixels (down). */
  labelDy: number;
}

/** Groups values sorted in descending order whose neighbours are closer than `gap`. */
function runs<T>(sorted: readonly T[], value: (t: T) => number, gap: number): T[][] {
  const groups: T[][] = [];
  for (const item of sorted) {
    const last = groups.at(-1);
    if (last !== undefined && value(last.at(-1)!) - value(item) < gap) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

/** Stacks of labels (descending values) that do not overlap at `perPx` units per pixel. */
function stacks(lines: readonly ReferenceLine[], perPx: number): ReferenceLine[][] {
  const groups = lines.map((l) => [l]);
  const middle = (g: ReferenceLine[]) => g.reduce((s, l) => s + l.value, 0) / g.length;
  const half = (g: ReferenceLine[]) => g.length * LABEL_PX * perPx / 2;
  for (let merged = true; merged;) {
    merged = false;
    for (let i = 0; i + 1 < groups.length; i++) {
      const [upper, lower] = [groups[i]!, groups[i + 1]!];
      if (middle(upper) - half(upper) < middle(lower) + half(lower)) {
        groups.splice(i, 2, [...upper, ...lower]);
        merged = true;
        break;
      }
    }
  }
  return groups;
}

/**
 * The chart's reference lines with their dashes and labels, for a plot `height` pixels tall
 * whose y axis spans the curves' intervals and the references.
 */
export function referenceLines(
  references: readonly ReferenceValue[],
  curves: readonly CurvePoint[],
  height: number,
): ReferenceLine[] {
  const values = [
    ...references.map((r) => r.value),
    ...curves.flatMap((p) => [p.lower, p.upper]),
  ].filter(Number.isFinite);
  const span = Math.max(...values) - Math.min(...values) || 1;
  const perPx = span / height;
  const lines: ReferenceLine[] = [...references]
    .sort((a, b) => b.value - a.value || a.variant.localeCompare(b.variant))
    .map((r) => ({
      ...r,
      dash: r.kind === "paper" ? PAPER_DASH : [1, 0],
      label: r.kind === "paper" ? `${r.variant} (paper)` : r.variant,
      labelValue: r.value,
      labelDy: 0,
    }));
  for (const group of runs(lines, (l) => l.value, COINCIDE_PX * perPx)) {
    if (group.length < 2) continue;
    const n = group.length;
    group.forEach((l, i) => l.dash = [0, i * TURN, TURN, (n - 1 - i) * TURN]);
  }
  for (const stack of stacks(lines, perPx)) {
    const middle = stack.reduce((s, l) => s + l.value, 0) / stack.length;
    stack.forEach((l, i) => {
      l.labelValue = middle;
      l.labelDy = (i - (stack.length - 1) / 2) * LABEL_PX;
    });
  }
  return lines;
}

/** The paper's return at each stage of an agent's trial, placed on the adaptation chart. */
export interface StagePoint {
  /** The variant (for its colour). */
  variant: string;
  /** The stage's x on the adaptation chart (that of the variant's own point of the stage). */
  x: number;
  /** The stage, from 1. */
  stage: number;
  /** The paper's return. */
  value: number;
  /** Where the number is from. */
  source: string;
}

/** The paper's returns per stage of an agent's trial (MAML's Table 4 after 0–3 steps). */
export interface PaperStages {
  /** The agent. */
  agent: string;
  /** Where the numbers are from. */
  source: string;
  /** The return of stage 1, 2, … */
  values: number[];
}

/**
 * The paper's stages as points of the adaptation chart: each at the x of the variant's own
 * point of that stage (its episodes in order), for every variant of the agent with a curve.
 */
export function stagePoints(
  stages: readonly PaperStages[],
  adaptation: readonly CurvePoint[],
): StagePoint[] {
  return stages.flatMap((s) => {
    const variants = [
      ...new Set(adaptation.filter((p) => p.agent === s.agent).map((p) => p.variant)),
    ];
    return variants.flatMap((variant) => {
      const xs = adaptation.filter((p) => p.variant === variant).map((p) => p.x).sort((a, b) =>
        a - b
      );
      return s.values.slice(0, xs.length).map((value, i) => ({
        variant,
        x: xs[i]!,
        stage: i + 1,
        value,
        source: s.source,
      }));
    });
  });
}

/** What {@link paperStagesOf} reads of `experiment.resolved.json`. */
interface ResolvedStages {
  task?: { kind?: string };
  agents?: Record<string, { kind?: string }>;
}

/**
 * The paper's stage returns an experiment's agents are set against: MAML's Table 4 (before
 * adaptation and after 1, 2, 3 steps) for each MAML-TRPO agent on the 2-D navigation task.
 */
export function paperStagesOf(resolved: ResolvedStages | undefined): PaperStages[] {
  if (resolved?.task?.kind !== "navigation") return [];
  return Object.entries(resolved.agents ?? {}).filter(([, a]) => a.kind === "maml_trpo").map((
    [agent],
  ) => ({ agent, source: "MAML paper (Table 4)", values: [...MAML_PAPER_STAGES] }));
}
