import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";

/**
 * The one process helper of the stacks, benchmarks and fault scenarios: a command run as an OS process in
 * its own process group, so that stopping it also takes down whatever it spawned (npm → tsx → node, npx →
 * next). Output is kept as a short tail for failure messages, and optionally written to a log file and/or
 * echoed to the console with a `[name]` prefix. It can be killed with any signal and started again with
 * the same command, environment and port.
 */
export interface ProcessOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Appends everything the process writes (and start/stop notes) to this file. */
  logFile?: string;
  /** Echoes each output line to the console as `[name] line`. */
  echo?: boolean;
  /** Awaited by `start()` after spawning: the process is ready (a port answers, a heartbeat shows). */
  ready?: (p: ManagedProcess) => Promise<void>;
  /** Called when the process exits without `stop()`/`kill()` having been asked for. */
  onUnexpectedExit?: (p: ManagedProcess, code: number | null, signal: NodeJS.Signals | null) => void;
}

export class ManagedProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private tail: string[] = [];
  private log: WriteStream | null;
  private stopping = false;
  starts = 0;

  constructor(
    readonly name: string,
    private readonly cmd: string,
    private readonly args: string[],
    private readonly opts: ProcessOptions,
  ) {
    this.log = opts.logFile ? createWriteStream(opts.logFile, { flags: "a" }) : null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns the command and waits until it is ready (`opts.ready`); throws with its last lines if not. */
  async start(): Promise<void> {
    this.spawn();
    if (!this.opts.ready) return;
    try {
      await this.opts.ready(this);
    } catch (e) {
      throw new Error(`${this.name} did not become ready: ${(e as Error).message}\n${this.lastLines(30)}`);
    }
  }

  /** Spawns the command without waiting for anything. */
  spawn(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts++;
    this.stopping = false;
    this.note(`--- start #${this.starts}: ${this.cmd} ${this.args.join(" ")}`);
    const child = spawn(this.cmd, this.args, {
      env: this.opts.env,
      cwd: this.opts.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    this.child = child;
    let partial = "";
    const onData = (d: Buffer) => {
      const s = d.toString();
      this.log?.write(s);
      const lines = (partial + s).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) this.keep(line);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        if (partial) this.keep(partial);
        partial = "";
        this.note(`--- exit #${this.starts}: code=${code} signal=${signal}`);
        if (!this.stopping) this.opts.onUnexpectedExit?.(this, code, signal);
        resolve();
      });
    });
    // A command that cannot be spawned at all (not installed) exits through "error", not "exit".
    child.once("error", (e) => {
      this.keep(`spawn failed: ${e.message}`);
    });
  }

  /** Sends a signal to the whole process group and waits (bounded) for the leader to exit. */
  async kill(signal: NodeJS.Signals, timeoutMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child?.pid || !this.running) return;
    this.stopping = true;
    this.note(`--- ${signal}`);
    if (!signalGroup(child.pid, signal)) return;
    const done = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref()),
    ]);
    if (!done) {
      this.note(`--- did not exit within ${timeoutMs} ms of ${signal}: SIGKILL`);
      signalGroup(child.pid, "SIGKILL");
      await this.exited;
    }
    // Grandchildren of a SIGKILLed leader may outlive it for a moment; make sure none is left.
    signalGroup(child.pid, "SIGKILL");
  }

  /** Graceful stop: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs = 15_000): Promise<void> {
    return this.kill("SIGTERM", graceMs);
  }

  /** Resolves when the current run has exited (at once when it is not running). */
  waitForExit(): Promise<void> {
    return this.exited;
  }

  lastLines(n = 40): string {
    return this.tail.slice(-n).join("\n");
  }

  /** Closes the log file (after the process has stopped). */
  close(): Promise<void> {
    const log = this.log;
    this.log = null;
    return log ? new Promise((r) => log.end(() => r())) : Promise.resolve();
  }

  private keep(line: string): void {
    if (!line.trim()) return;
    this.tail.push(line);
    if (this.tail.length > 200) this.tail.splice(0, this.tail.length - 200);
    if (this.opts.echo) prefixed(this.name, line);
  }

  private note(line: string): void {
    this.log?.write(`${new Date().toISOString()} ${line}\n`);
  }
}

/** Signals the process group led by `pid`; false when there is none any more. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command to its end with inherited output; rejects when it exits non-zero. */
export function runToEnd(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: "inherit", env });
    p.once("error", reject);
    p.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${signal ?? code}`)),
    );
  });
}

const colours = [36, 33, 35, 32, 34, 31, 96, 93];
const assigned = new Map<string, number>();

/** Writes `[name] line` with a stable colour per source, so interleaved logs stay readable. */
export function prefixed(name: string, line: string): void {
  if (!assigned.has(name)) assigned.set(name, colours[assigned.size % colours.length] as number);
  const colour = process.stdout.isTTY ? assigned.get(name) : undefined;
  const tag = `[${name}]`.padEnd(10);
  console.log(colour ? `\x1b[${colour}m${tag}\x1b[0m ${line}` : `${tag} ${line}`);
}
