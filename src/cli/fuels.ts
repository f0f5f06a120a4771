/**
 * The fuels `boxless check` runs each input set with, and `boxless fuzz` too, so that every
 * difference fuzz reports on a counterexample's input sets shows again under `check`: exits in
 * the first iterations and in later ones.
 */
export const CHECK_FUELS: readonly number[] = [0, 1, 2, 3, 5, 10, 100];
