import { type ChildProcess, spawn } from "node:child_process";
import { childEnv } from "@/env";

/** A child process in its own group, with a stop that takes the whole group down. */
export function startProcess(
  cmd: string,
  args: string[],
  extraEnv: Record<string, string>,
): { child: ChildProcess; stop(): Promise<void> } {
  const child = spawn(cmd, args, {
    env: childEnv(extraEnv),
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  return {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || !child.pid) return resolve();
        const pid = child.pid;
        child.once("exit", () => resolve());
        try {
          process.kill(-pid, "SIGTERM");
        } catch {
          resolve();
        }
        setTimeout(() => {
          try {
            process.kill(-pid, "SIGKILL");
          } catch {}
        }, 10_000).unref();
      }),
  };
}

export async function waitHealthy(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms`);
}
