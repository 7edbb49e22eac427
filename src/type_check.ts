/**
 * Compile-time checks between types: `Assert<Same<A, B>>` is a type error unless A and B are
 * assignable to each other. The hand-written config interfaces use it to stay equal to the
 * outputs of the zod schemas that validate them.
 *
 * @module
 */

/** `true` when A and B are assignable to each other, else `false`. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Accepts only `true`, so `Assert<Same<A, B>>` fails type checking when A and B differ. */
export type Assert<T extends true> = T;
