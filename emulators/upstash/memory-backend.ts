import { type Backend, type Outcome, type Reply, RedisError } from "./backend";
import { execute, precheck } from "./memory-commands";
import { MemoryStore } from "./memory-store";

/**
 * The fallback backend when no Redis is reachable: a Redis subset kept in this process.
 * Good enough for an application cache (strings, TTLs, counters, hashes, sets, SCAN); no Lua.
 * Everything runs synchronously on the event loop, so pipelines and transactions are
 * naturally atomic with respect to other requests.
 */
export class MemoryBackend implements Backend {
  readonly kind = "memory" as const;
  readonly store: MemoryStore;
  private readonly sweeper: NodeJS.Timeout;

  constructor(opts: { now?: () => number; sweepIntervalMs?: number } = {}) {
    this.store = new MemoryStore(opts.now);
    // Lazy expiry alone would keep never-read keys forever; a periodic sweep bounds memory.
    this.sweeper = setInterval(() => this.store.sweep(), opts.sweepIntervalMs ?? 1000);
    // The sweeper must never be the reason a CLI or test process stays alive.
    this.sweeper.unref();
  }

  async run(command: string[]): Promise<Reply> {
    return execute(this.store, command);
  }

  async pipeline(commands: string[][]): Promise<Outcome[]> {
    return commands.map((command) => this.attempt(command));
  }

  async transaction(commands: string[][]): Promise<Outcome[]> {
    // Redis refuses the whole MULTI when any command fails to queue; mirror that.
    if (commands.some((command) => precheck(command) !== null)) {
      throw new RedisError("EXECABORT Transaction discarded because of previous errors.");
    }
    return commands.map((command) => this.attempt(command));
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private attempt(command: string[]): Outcome {
    try {
      return { result: execute(this.store, command) };
    } catch (error) {
      if (error instanceof RedisError) return { error: error.message };
      throw error;
    }
  }
}
