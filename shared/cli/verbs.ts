import type { Verb } from './verb.ts';

/** Every CLI verb, in the order `living-review --help` lists them. Add one line per verb. */
export const verbs: Verb[] = [];
