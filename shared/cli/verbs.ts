import type { Verb } from './verb.ts';
import { analyseVerb } from './verbs/analyse.ts';
import { cycleVerb } from './verbs/cycle.ts';
import { exportVerb } from './verbs/export.ts';
import { extractVerb } from './verbs/extract.ts';
import { importVerb } from './verbs/import.ts';
import { initVerb } from './verbs/init.ts';
import { parseVerb } from './verbs/parse.ts';
import { poolVerb } from './verbs/pool.ts';
import { publishVerb } from './verbs/publish.ts';
import { queueVerb } from './verbs/queue.ts';
import { screenVerb } from './verbs/screen.ts';
import { searchVerb } from './verbs/search.ts';
import { serve } from './verbs/serve.ts';
import { statusVerb } from './verbs/status.ts';
import { studyVerb } from './verbs/study.ts';
import { workbenchVerb } from './verbs/workbench.ts';

/** Every CLI verb, in the order `living-review --help` lists them. Add one line per verb. */
export const verbs: Verb[] = [
  initVerb,
  cycleVerb,
  searchVerb,
  parseVerb,
  importVerb,
  statusVerb,
  queueVerb,
  screenVerb,
  studyVerb,
  exportVerb,
  extractVerb,
  analyseVerb,
  publishVerb,
  poolVerb,
  serve,
  workbenchVerb,
];
