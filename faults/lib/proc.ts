import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { createServer } from "node:net";

/**
 * One part of the stack as an OS process that a fault test can kill (any signal) and start again with
 * the same command, environment and port. Each start gets its own process group, so killing the group
 * also takes down whatever the command spawned (npx → node, tsx → node). Output goes to a log file and a
 * short in-memory tail that failing tests print.
 */
export class ManagedProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private tail: string[] = [];
  private log: WriteStream;
  starts = 0;

  constructor(
    readonly name: string,
    private readonly cmd: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: "a" });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts++;
    this.note(`--- start #${this.starts}: ${this.cmd} ${this.args.join(" ")}`);
    const child = spawn(this.cmd, this.args, {
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    this.child = child;
    const onData = (d: Buffer) => {
      const s = d.toString();
      this.log.write(s);
      for (const line of s.split("\n")) if (line.trim()) this.tail.push(line);
      if (this.tail.length > 200) this.tail.splice(0, this.tail.length - 200);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.note(`--- exit #${this.starts}: code=${code} signal=${signal}`);
        resolve();
      });
    });
  }

  /** Sends a signal to the whole process group and waits (bounded) for the leader to exit. */
  async kill(signal: NodeJS.Signals, timeoutMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child?.pid || !this.running) return;
    this.note(`--- ${signal}`);
    try {
      process.kill(-child.pid, signal);
    } catch {
      return;
    }
    const done = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref()),
    ]);
    if (!done) {
      this.note(`--- did not exit within ${timeoutMs} ms of ${signal}: SIGKILL`);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
      await this.exited;
    }
    // Grandchildren of a SIGKILLed leader may outlive it for a moment; make sure none is left.
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  }

  /** Graceful stop (SIGTERM, SIGKILL after a grace period). */
  stop(): Promise<void> {
    return this.kill("SIGTERM");
  }

  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  lastLines(n = 40): string {
    return this.tail.slice(-n).join("\n");
  }

  close(): Promise<void> {
    return new Promise((r) => this.log.end(() => r()));
  }

  private note(line: string): void {
    this.log.write(`${new Date().toISOString()} ${line}\n`);
  }
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// One polling helper for tests, faults and benchmarks: it throws at the deadline with what it waited for.
export { PollTimeoutError, pollUntil, sleep } from "../../tests/helpers/poll";
