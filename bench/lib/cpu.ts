import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import type postgres from "postgres";

/**
 * CPU time from the processes' own counters (/proc/<pid>/stat: utime + stime, in clock ticks), so a
 * figure is the cost of OUR code — the Next.js server process tree, or PostgreSQL's backends of the bench
 * database — and not of the load generator or the emulators running on the same cores.
 *
 * Limits: clock ticks are 10 ms, so figures are per operation over thousands of operations; a process that
 * exits during the window takes its time with it (app processes and pooled backends live throughout);
 * PostgreSQL's shared processes (WAL writer, checkpointer) are not counted. Linux only: elsewhere, and for a
 * remote database, the figures are null.
 */
const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  } catch {
    return 10;
  }
})();

function stat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ")".
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}

function allPids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
}

/** The processes holding a socket that listens on 127.0.0.1/0.0.0.0/:: `port`. */
export function listeningPids(port: number): number[] {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1];
      // State 0A = LISTEN; field 10 is the socket inode.
      if (!local || f[3] !== "0A") continue;
      if (Number.parseInt(local.split(":")[1] ?? "", 16) === port && f[9]) inodes.add(f[9]);
    }
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const pid of allPids()) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m?.[1] && inodes.has(m[1])) {
          pids.push(pid);
          break;
        }
      } catch {}
    }
  }
  return pids;
}

/** `roots` and all their descendants. */
export function processTree(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const s = stat(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out = new Set<number>();
  const walk = (pid: number) => {
    if (out.has(pid)) return;
    out.add(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  for (const r of roots) walk(r);
  return [...out];
}

/** The server process tree of an app listening on `port`. */
export function appProcesses(port: number): number[] {
  return processTree(listeningPids(port));
}

/** PostgreSQL backends connected to `database`, other than the caller's own connection. */
export async function pgBackends(sql: postgres.Sql, database: string): Promise<number[]> {
  const rows = await sql<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
  return rows.map((r) => r.pid).filter((pid) => stat(pid) !== null);
}

export interface CpuSnapshot {
  ticks: Map<number, number>;
}

export function snapshot(pids: number[]): CpuSnapshot {
  const ticks = new Map<number, number>();
  for (const pid of pids) {
    const s = stat(pid);
    if (s) ticks.set(pid, s.ticks);
  }
  return { ticks };
}

/**
 * Core-milliseconds spent between two snapshots by the processes of the second one (a process new since
 * the first counts from zero). Null when nothing could be read (not Linux, or a remote database).
 */
export function coreMsBetween(before: CpuSnapshot, after: CpuSnapshot): number | null {
  if (after.ticks.size === 0) return null;
  let ticks = 0;
  for (const [pid, t] of after.ticks) ticks += t - (before.ticks.get(pid) ?? 0);
  return ticks * TICK_MS;
}

/** Measures the app tree and the database's backends around `fn`. */
export async function measureCpu<T>(
  target: { appPort: number; sql?: postgres.Sql; database?: string },
  fn: () => Promise<T>,
): Promise<{ value: T; appMs: number | null; pgMs: number | null }> {
  const appPids = appProcesses(target.appPort);
  const pg = target.sql && target.database ? await pgBackends(target.sql, target.database) : [];
  const app0 = snapshot(appPids);
  const pg0 = snapshot(pg);
  const value = await fn();
  const app1 = snapshot(appProcesses(target.appPort));
  const pg1 = snapshot(target.sql && target.database ? await pgBackends(target.sql, target.database) : []);
  return { value, appMs: coreMsBetween(app0, app1), pgMs: coreMsBetween(pg0, pg1) };
}
