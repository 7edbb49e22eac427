/**
 * Recognising a full disk, so that a run that hit one is failed with the path and what to do
 * instead of a bare operating-system message.
 *
 * @module
 */

/**
 * True when `e` is the operating system's "no space left on device" (or "disk quota exceeded").
 *
 * @example
 * ```ts
 * import { isDiskFull } from "./disk.ts";
 * if (!isDiskFull(new Error("No space left on device (os error 28)"))) throw new Error("missed");
 * if (isDiskFull(new Error("permission denied"))) throw new Error("wrong");
 * ```
 */
export function isDiskFull(e: unknown): boolean {
  const text = e instanceof Error ? `${(e as { code?: string }).code} ${e.message}` : String(e);
  return /ENOSPC|EDQUOT|No space left on device|os error 28\b|[Dd]isk quota exceeded/.test(text);
}

/**
 * What a failure of a full disk says: where, the error (which names the file), and what to do.
 *
 * @param where the folder whose device is full
 * @param message the error's message
 */
export function diskFullMessage(where: string, message: string): string {
  return `no space left on the device of ${where} (${message}); free some space (or run with ` +
    "another --out), then continue with --resume";
}
