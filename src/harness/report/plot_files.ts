/**
 * The file names of a comparison's plots: one home, so the report links what `compare` writes.
 *
 * @module
 */

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._=-]+/g, "_");
}

/** `curves-<experiment>.svg`, or `curves-<experiment>-<setting>.svg` for an ablation point. */
export function curvePlotFile(experiment: string, setting: string): string {
  return `curves-${slug(experiment)}${setting === "" ? "" : `-${slug(setting)}`}.svg`;
}

/** `adaptation-<experiment>.svg`, or `adaptation-<experiment>-<setting>.svg`. */
export function adaptationPlotFile(experiment: string, setting: string): string {
  return `adaptation-${slug(experiment)}${setting === "" ? "" : `-${slug(setting)}`}.svg`;
}

/** `ablation-<experiment>-<path>.svg`. */
export function ablationPlotFile(experiment: string, path: string): string {
  return `ablation-${slug(experiment)}-${slug(path)}.svg`;
}
