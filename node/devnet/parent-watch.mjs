// Preloaded (node --import) into every worker process the devnet supervises. The devnet spawns each
// worker with an IPC channel; when the devnet process goes away for any reason (kill -9 included),
// the channel closes and the worker shuts down as on Ctrl-C instead of living on as an orphan that a
// restarted devnet would run beside (two processes signing with one key).
if (process.channel) {
  process.channel.unref();
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
