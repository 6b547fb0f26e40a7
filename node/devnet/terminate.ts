// Stopping a supervised child process (a follower, a worker): SIGTERM first, SIGKILL if it is still
// running after a grace period.
import type { ChildProcess } from 'node:child_process';

/** SIGTERM, then SIGKILL after `graceMs` (calling `onKill` first); resolves once `exited` has. */
export async function terminate(child: ChildProcess, exited: Promise<void>, graceMs: number, onKill?: () => void): Promise<void> {
  child.kill('SIGTERM');
  const kill = setTimeout(() => {
    onKill?.();
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(kill);
}
