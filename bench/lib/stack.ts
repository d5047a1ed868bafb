import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { childEnv, env } from "@/env";
import { LOCAL_PORTS } from "../../scripts/local-stack";

/** The database `scripts/dev.ts --database traverse_bench_<offset>` uses, for direct checks. */
export function benchDatabaseUrl(offset: number): string {
  const name = `traverse_bench_${offset}`;
  if (env.DATABASE_URL) {
    const u = new URL(env.DATABASE_URL);
    u.pathname = `/${name}`;
    return u.toString();
  }
  return `postgres://postgres:postgres@127.0.0.1:${LOCAL_PORTS.postgres + offset}/${name}`;
}

/**
 * Starts the production build with its worker(s) and the emulators through `scripts/dev.ts --prod`, on
 * shifted ports and a database of its own, and stops the whole process group afterwards.
 */
export interface BenchStack {
  appUrl: string;
  urls: { app: string[]; stripe: string; resend: string; upstash: string };
  databaseUrl: string;
  stop(): Promise<void>;
}

export async function ensureBuild(): Promise<void> {
  if (existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) return;
  console.log("no production build yet: running `next build` …");
  await run("npx", ["next", "build"]);
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: "inherit", env: childEnv({ NEXT_TELEMETRY_DISABLED: "1" }) });
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
  });
}

export async function startBenchStack(opts: {
  offset: number;
  instances?: number;
  workers?: number;
  env?: Record<string, string>;
  quiet?: boolean;
}): Promise<BenchStack> {
  const port = 3000 + opts.offset;
  const child: ChildProcess = spawn(
    "npx",
    [
      "tsx",
      "scripts/dev.ts",
      "--prod",
      "--port",
      String(port),
      "--port-offset",
      String(opts.offset),
      "--database",
      `traverse_bench_${opts.offset}`,
      "--reset",
      "--instances",
      String(opts.instances ?? 1),
      "--workers",
      String(opts.workers ?? 1),
    ],
    {
      env: childEnv({
        LOG_LEVEL: "warn",
        NEXT_TELEMETRY_DISABLED: "1",
        // The load generator is one client booking hundreds of times: fair-use limits raised, not off.
        BOOKING_CREATES_PER_CLIENT: "1000000",
        BOOKING_UNPAID_PER_EMAIL: "1000",
        BOOKING_HELD_PLACES_PER_CLIENT: "1000000",
        ...opts.env,
      }),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let databaseUrl = "";
  let output = "";
  void databaseUrl;
  const onData = (d: Buffer) => {
    const s = d.toString();
    output += s;
    if (output.length > 100_000) output = output.slice(-50_000);
    if (!opts.quiet) process.stderr.write(s.replace(/^/gm, "  | "));
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const appUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`stack exited early:\n${output.slice(-3000)}`);
    try {
      const res = await fetch(`${appUrl}/api/health`);
      const h = (await res.json()) as { worker?: { lastSeenSecondsAgo: number | null } };
      if (res.ok && h.worker?.lastSeenSecondsAgo !== null) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`stack did not become healthy:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  databaseUrl = benchDatabaseUrl(opts.offset);
  const instances = opts.instances ?? 1;
  return {
    appUrl,
    urls: {
      app: Array.from({ length: instances }, (_, i) => `http://127.0.0.1:${port + i}`),
      stripe: `http://127.0.0.1:${12111 + opts.offset}`,
      resend: `http://127.0.0.1:${8025 + opts.offset}`,
      upstash: `http://127.0.0.1:${8079 + opts.offset}`,
    },
    databaseUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || !child.pid) return resolve();
        const pid = child.pid;
        const timer = setTimeout(() => {
          try {
            process.kill(-pid, "SIGKILL");
          } catch {}
        }, 20_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        try {
          process.kill(-pid, "SIGTERM");
        } catch {
          resolve();
        }
      }),
  };
}
