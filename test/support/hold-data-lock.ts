/**
 * A living-review run reduced to holding its data directory: takes the lock on the directory named by argv[2],
 * says `locked` on stdout and keeps it until killed. Tests kill it with SIGKILL, as the OOM killer or a
 * container stop would, so no exit handler runs.
 */
import { lockDataDir } from '#shared/store/data-lock.ts';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: hold-data-lock.ts DIR');
await lockDataDir(dir, { waitMs: 0 });
process.stdout.write('locked\n');
setInterval(() => {}, 60_000);
