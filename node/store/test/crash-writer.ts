// Child process for the crash test: appends synthetic blocks forever and reports each on stdout,
// until the parent kills it with SIGKILL in the middle of a write.
import { EventLog, openDb } from '../event-log.ts';
import { syntheticBlock } from './synthetic-blocks.ts';

const dir = process.argv[2];
const log = await EventLog.open(await openDb(dir));
let n = (log.head()?.number ?? -1n) + 1n;
for (;;) {
  await log.writeBlock({ ...syntheticBlock(n, 50), snapshot: n % 5n === 0n ? new Uint8Array(4096).fill(Number(n % 256n)) : undefined });
  process.stdout.write(`wrote ${n}\n`);
  n++;
}
