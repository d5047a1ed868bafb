import type { Redis } from "ioredis";
import { type Reply, RedisError } from "./backend";

/**
 * Confines one emulator to the keys under a prefix of a shared Redis, so test runs (several engineers, CI)
 * can share one Redis without seeing or deleting each other's keys. ioredis's own `keyPrefix` rewrites
 * every key argument; this class covers the commands that address the whole database instead of named
 * keys: SCAN, KEYS, DBSIZE and FLUSHDB only see the namespace, and commands that cannot be confined are
 * refused with a message saying why.
 */

/** Whole-database commands with a namespaced equivalent below. */
const CONFINED = new Set(["scan", "keys", "dbsize", "flushdb"]);
/** Whole-server or cross-database commands that would escape the namespace. */
const ESCAPING = new Set(["flushall", "randomkey", "move", "migrate"]);

export class KeyNamespace {
  private readonly prefixBytes: Buffer;

  constructor(readonly prefix: string) {
    // The prefix goes into MATCH patterns verbatim: glob characters in it would widen the match.
    if (!/^[A-Za-z0-9:_.-]+$/.test(prefix)) {
      throw new Error(`key prefix ${JSON.stringify(prefix)} may only use letters, digits and : _ . -`);
    }
    this.prefixBytes = Buffer.from(prefix);
  }

  /** A refusal message when `command` cannot run inside the namespace (in a transaction or at all). */
  refusal(command: string[], inTransaction: boolean): string | null {
    const name = (command[0] ?? "").toLowerCase();
    if (ESCAPING.has(name) || (inTransaction && CONFINED.has(name))) {
      return `ERR '${name}' is not available through this Upstash emulator: it shares its Redis with others under the key prefix ${this.prefix}`;
    }
    return null;
  }

  handles(command: string[]): boolean {
    return CONFINED.has((command[0] ?? "").toLowerCase());
  }

  /** Runs a whole-database command as if the namespace were the whole database. */
  async run(redis: Redis, command: string[]): Promise<Reply> {
    const name = (command[0] ?? "").toLowerCase();
    const args = command.slice(1);
    if (name === "scan") return this.scan(redis, args);
    if (name === "keys") {
      if (args.length !== 1) throw new RedisError("ERR wrong number of arguments for 'keys' command");
      const keys = (await redis.callBuffer("keys", this.prefix + args[0])) as Buffer[];
      return keys.map((k) => this.strip(k));
    }
    if (name === "dbsize") {
      let n = 0;
      await this.eachBatch(redis, async (keys) => {
        n += keys.length;
      });
      return n;
    }
    // flushdb [ASYNC|SYNC]: only the namespace's keys; UNLINK frees memory off the main thread like ASYNC.
    await this.eachBatch(redis, async (keys) => {
      if (keys.length) await redis.unlink(...keys);
    });
    return "OK";
  }

  private async scan(redis: Redis, args: string[]): Promise<Reply> {
    const rewritten = [...args];
    const match = rewritten.findIndex((a, i) => i > 0 && a.toLowerCase() === "match");
    if (match > 0 && match + 1 < rewritten.length) rewritten[match + 1] = this.prefix + rewritten[match + 1];
    else rewritten.push("MATCH", `${this.prefix}*`);
    const [cursor, keys] = (await redis.callBuffer("scan", ...rewritten)) as [Buffer, Buffer[]];
    return [cursor, keys.map((k) => this.strip(k))];
  }

  /** Calls `fn` with the namespace's keys (without the prefix, as ioredis re-adds it), a batch at a time. */
  private async eachBatch(redis: Redis, fn: (keys: Buffer[]) => Promise<void>): Promise<void> {
    let cursor = "0";
    do {
      const [next, keys] = (await redis.callBuffer(
        "scan",
        cursor,
        "MATCH",
        `${this.prefix}*`,
        "COUNT",
        "500",
      )) as [Buffer, Buffer[]];
      cursor = next.toString();
      await fn(keys.map((k) => this.strip(k)));
    } while (cursor !== "0");
  }

  private strip(key: Buffer): Buffer {
    return key.subarray(0, this.prefixBytes.length).equals(this.prefixBytes)
      ? key.subarray(this.prefixBytes.length)
      : key;
  }
}
