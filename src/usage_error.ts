/**
 * A mistake in a command line itself: the commands show it with their usage and exit with 2.
 *
 * @module
 */

/** A mistake in the command line (shown with the command's usage). */
export class UsageError extends Error {
  /** An error saying `message`. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
