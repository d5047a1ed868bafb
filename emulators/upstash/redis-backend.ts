import { Redis, ReplyError } from "ioredis";
import { type Backend, BackendUnavailableError, type Outcome, type Reply, RedisError } from "./backend";
import { KeyNamespace } from "./key-namespace";

/**
 * Proxies commands to a real Redis over one shared ioredis connection. Commands are sent raw
 * (`callBuffer`), so any command works and Redis's own error texts reach the client unchanged.
 */

/**
 * Commands that would change the state of the shared connection (a transaction, another db,
 * pub/sub mode, auth) or park it on a blocking wait, stalling every other request behind it.
 * Real Upstash REST refuses most of these too; transactions go through `/multi-exec` instead.
 */
const REFUSED = new Set([
  "multi",
  "exec",
  "discard",
  "watch",
  "unwatch",
  "select",
  "swapdb",
  "auth",
  "hello",
  "reset",
  "quit",
  "client",
  "monitor",
  "sync",
  "psync",
  "replconf",
  "shutdown",
  "debug",
  "subscribe",
  "psubscribe",
  "ssubscribe",
  "unsubscribe",
  "punsubscribe",
  "sunsubscribe",
  "blpop",
  "brpop",
  "brpoplpush",
  "blmove",
  "blmpop",
  "bzpopmin",
  "bzpopmax",
  "bzmpop",
  "wait",
  "waitaof",
]);

function refusal(command: string[]): string | null {
  const name = (command[0] ?? "").toLowerCase();
  const blockingRead =
    (name === "xread" || name === "xreadgroup") && command.some((arg) => arg.toLowerCase() === "block");
  if (!REFUSED.has(name) && !blockingRead) return null;
  return `ERR '${name}' is not available through the Upstash emulator (it would block or change the state of its shared Redis connection)`;
}

/**
 * ioredis rewrites the replies/arguments of a few commands, keyed by their lower-case name: HGETALL
 * would come back as an object, which the Upstash protocol forbids. Upper-casing those names
 * bypasses the transformers (Redis ignores case). Other names are sent as the client spelled
 * them, because Redis echoes an unknown command's name verbatim in its error text.
 */
const TRANSFORMED_BY_IOREDIS = new Set(["hgetall", "hset", "hmset", "mset", "msetnx"]);

function wireName(command: string[]): string {
  const name = command[0] ?? "";
  return TRANSFORMED_BY_IOREDIS.has(name) ? name.toUpperCase() : name;
}

function classify(error: unknown): Error {
  if (error instanceof ReplyError) return new RedisError((error as Error).message);
  const message = error instanceof Error ? error.message : String(error);
  return new BackendUnavailableError(`ERR the emulator cannot reach Redis: ${message}`);
}

export class RedisBackend implements Backend {
  readonly kind = "redis" as const;

  constructor(
    private readonly redis: Redis,
    private readonly namespace: KeyNamespace | null = null,
  ) {}

  async run(command: string[]): Promise<Reply> {
    const refused = refusal(command) ?? this.namespace?.refusal(command, false);
    if (refused) throw new RedisError(refused);
    try {
      if (this.namespace?.handles(command)) return await this.namespace.run(this.redis, command);
      return (await this.redis.callBuffer(wireName(command), ...command.slice(1))) as Reply;
    } catch (error) {
      throw classify(error);
    }
  }

  async pipeline(commands: string[][]): Promise<Outcome[]> {
    // ioredis keeps request order on one connection, so firing them together is a pipeline.
    const settled = await Promise.allSettled(commands.map((command) => this.run(command)));
    return settled.map((outcome) => {
      if (outcome.status === "fulfilled") return { result: outcome.value };
      if (outcome.reason instanceof RedisError) return { error: outcome.reason.message };
      throw outcome.reason;
    });
  }

  async transaction(commands: string[][]): Promise<Outcome[]> {
    const refused = commands
      .map((command) => refusal(command) ?? this.namespace?.refusal(command, true) ?? null)
      .find((message) => message !== null);
    if (refused) throw new RedisError(refused);
    // ioredis writes MULTI, the commands and EXEC in one go, so nothing else sent on the shared
    // connection can land inside the transaction.
    const multi = this.redis.multi();
    for (const command of commands) multi.callBuffer(wireName(command), ...command.slice(1));
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await multi.exec();
    } catch (error) {
      // EXECABORT (a command failed to queue) arrives here as a ReplyError.
      throw classify(error);
    }
    if (!replies) throw new RedisError("EXECABORT Transaction discarded because of previous errors.");
    return replies.map(([error, result]) => {
      if (!error) return { result: result as Reply };
      const classified = classify(error);
      if (classified instanceof RedisError) return { error: classified.message };
      throw classified;
    });
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      // Already disconnected: nothing left to close.
      this.redis.disconnect();
    }
  }
}

/** Strips credentials so the Redis URL can be logged. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "6379"}${parsed.pathname.length > 1 ? parsed.pathname : ""}`;
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

/**
 * Connects and PINGs within `timeoutMs`. Resolves with the backend, or with the reason Redis is
 * not usable. The probe never retries: a missing Redis must cost well under a second at start-up.
 * Once connected, the client reconnects forever with a capped backoff, and fails commands fast
 * (no offline queue) while Redis is down, so the app sees errors instead of hanging requests.
 * With `keyPrefix`, every key lives under that prefix and whole-database commands see only those keys
 * (see KeyNamespace), so several emulators can share one Redis without clobbering each other.
 */
export async function connectRedisBackend(
  url: string,
  log: (line: string) => void,
  timeoutMs = 1000,
  opts: { keyPrefix?: string } = {},
): Promise<{ backend: RedisBackend } | { reason: string }> {
  const namespace = opts.keyPrefix ? new KeyNamespace(opts.keyPrefix) : null;
  let probing = true;
  let lastError = "";
  const redis = new Redis(url, {
    keyPrefix: opts.keyPrefix,
    lazyConnect: true,
    connectTimeout: 500,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => (probing ? null : Math.min(times * 200, 2000)),
  });
  // Without a listener ioredis prints "Unhandled error event" for every failed reconnect.
  redis.on("error", (error: Error) => {
    if (!probing && error.message !== lastError) log(`upstash emulator: redis error: ${error.message}`);
    lastError = error.message;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([redis.connect().then(() => redis.call("PING")), timeout]);
    probing = false;
    return { backend: new RedisBackend(redis, namespace) };
  } catch (error) {
    redis.disconnect();
    // ioredis reports the root cause (e.g. ECONNREFUSED) as an event, then rejects with a vaguer
    // "Connection is closed"; the event is the useful one to show.
    return { reason: lastError || (error instanceof Error ? error.message : String(error)) };
  } finally {
    clearTimeout(timer);
  }
}
