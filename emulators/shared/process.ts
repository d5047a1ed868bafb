// The command-line side the emulators share: stop cleanly on a signal, exit non-zero when start-up fails.

/** Closes the emulator on SIGINT or SIGTERM (once), then exits: 0 when it closed cleanly. */
export function stopOnSignals(name: string, close: () => Promise<void>): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${name}: error while stopping on ${signal}:`, error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  onParentGone(() => shutdown("SIGTERM"));
}

/**
 * Calls `stop` once this process's parent is gone (it was re-parented): a stack that is killed outright
 * (tests/support/stack.ts under Playwright, whose grace period can run out) cannot stop its emulators, so
 * they stop themselves instead of holding their ports for the next run.
 */
export function onParentGone(stop: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      stop();
    }
  }, 1_000);
  timer.unref();
}

/** Runs `main`; a failed start (e.g. EADDRINUSE) says why and exits 1 so the dev script notices. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(`${name}: failed to start:`, error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
