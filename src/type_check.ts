/**
 * Compile-time checks between types: `Assert<Same<A, B>>` is a type error unless A and B are
 * assignable to each other. Each block's zod schema sits beside one, keeping the type
 * `deno task schema` wrote for it into `src/settings/` equal to what the schema parses to.
 *
 * @module
 */

/** `true` when A and B are assignable to each other, else `false`. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Accepts only `true`, so `Assert<Same<A, B>>` fails type checking when A and B differ. */
export type Assert<T extends true> = T;
