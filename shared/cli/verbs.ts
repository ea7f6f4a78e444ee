import type { Verb } from './verb.ts';
import { poolVerb } from './verbs/pool.ts';
import { serve } from './verbs/serve.ts';

/** Every CLI verb, in the order `living-review --help` lists them. Add one line per verb. */
export const verbs: Verb[] = [poolVerb, serve];
