import { type Reply, RedisError } from "./backend";
import { compileGlob } from "./glob";
import type { MemoryStore } from "./memory-store";

/**
 * The Redis command subset of the in-memory backend. Error texts are copied from Redis 7 so that
 * code tested against this backend sees what production would show; upstash.test.ts runs the
 * same assertions against a real Redis to keep the two honest.
 */

type Handler = (store: MemoryStore, args: string[]) => Reply;

interface CommandSpec {
  /** Redis arity convention: N = exactly N words including the name, -N = at least N. */
  arity: number;
  handler: Handler;
}

const NOT_INTEGER = "ERR value is not an integer or out of range";
const SYNTAX = "ERR syntax error";
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parses like Redis's string2ll: no sign "+", no leading zeros, no "-0", no spaces, int64 range. */
function parseInt64(text: string | undefined, message = NOT_INTEGER): bigint {
  if (text === undefined || !/^(0|-?[1-9][0-9]*)$/.test(text)) throw new RedisError(message);
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) throw new RedisError(message);
  return value;
}

function addInt64(current: bigint, delta: bigint): bigint {
  const sum = current + delta;
  if (sum < INT64_MIN || sum > INT64_MAX) throw new RedisError("ERR increment or decrement would overflow");
  return sum;
}

/** Converts a relative or absolute TTL argument to an absolute ms deadline, with Redis's checks. */
function deadline(
  store: MemoryStore,
  amount: string | undefined,
  unit: "s" | "ms",
  absolute: boolean,
  command: string,
) {
  const value = parseInt64(amount);
  const invalid = new RedisError(`ERR invalid expire time in '${command}' command`);
  const ms = unit === "s" ? value * 1000n : value;
  const at = absolute ? ms : ms + BigInt(store.now());
  if (ms > INT64_MAX || ms < INT64_MIN || at > INT64_MAX) throw invalid;
  return { at: Number(at), positive: value > 0n, invalid };
}

function lower(text: string | undefined): string {
  return (text ?? "").toLowerCase();
}

function incrBy(store: MemoryStore, key: string, delta: bigint): number {
  const current = store.get(key, "string");
  const next = addInt64(current === undefined ? 0n : parseInt64(current), delta);
  // INCR keeps the TTL of an existing key (it modifies the value, it does not replace the key).
  store.setString(key, next.toString(), "keep");
  return Number(next);
}

function set(store: MemoryStore, [key, value, ...options]: string[]): Reply {
  let condition: "nx" | "xx" | null = null;
  let returnOld = false;
  let expiry: number | null | "keep" = null;
  let expirySeen = false;
  for (let i = 0; i < options.length; i++) {
    const option = lower(options[i]);
    if (option === "nx" || option === "xx") {
      if (condition !== null && condition !== option) throw new RedisError(SYNTAX);
      condition = option;
    } else if (option === "get") {
      returnOld = true;
    } else if (option === "keepttl") {
      if (expirySeen) throw new RedisError(SYNTAX);
      expirySeen = true;
      expiry = "keep";
    } else if (option === "ex" || option === "px" || option === "exat" || option === "pxat") {
      if (expirySeen || i + 1 >= options.length) throw new RedisError(SYNTAX);
      expirySeen = true;
      const unit = option === "ex" || option === "exat" ? "s" : "ms";
      const { at, positive, invalid } = deadline(store, options[++i], unit, option.endsWith("at"), "set");
      if (!positive) throw invalid;
      expiry = at;
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  const k = key!;
  // SET ... GET on a hash is WRONGTYPE even when the condition would skip the write.
  const old = returnOld ? (store.get(k, "string") ?? null) : null;
  const exists = store.has(k);
  if ((condition === "nx" && exists) || (condition === "xx" && !exists)) return returnOld ? old : null;
  store.setString(k, value!, expiry);
  return returnOld ? old : "OK";
}

function expire(
  store: MemoryStore,
  args: string[],
  unit: "s" | "ms",
  absolute: boolean,
  command: string,
): Reply {
  const [key, amount, ...options] = args;
  const { at } = deadline(store, amount, unit, absolute, command);
  const flags = new Set(options.map(lower));
  for (const flag of flags) {
    if (!["nx", "xx", "gt", "lt"].includes(flag)) throw new RedisError(`ERR Unsupported option ${flag}`);
  }
  if (flags.has("nx") && flags.size > 1) {
    throw new RedisError("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if (flags.has("gt") && flags.has("lt")) {
    throw new RedisError("ERR GT and LT options at the same time are not compatible");
  }
  const current = store.expiresAt(key!);
  if (current === undefined) return 0;
  // A key without TTL counts as an infinite TTL for GT/LT, as in Redis.
  const currentOrInfinity = current ?? Number.POSITIVE_INFINITY;
  if (flags.has("nx") && current !== null) return 0;
  if (flags.has("xx") && current === null) return 0;
  if (flags.has("gt") && !(at > currentOrInfinity)) return 0;
  if (flags.has("lt") && !(at < currentOrInfinity)) return 0;
  store.setExpiresAt(key!, at);
  return 1;
}

function ttl(store: MemoryStore, key: string, unit: "s" | "ms"): number {
  const at = store.expiresAt(key);
  if (at === undefined) return -2;
  if (at === null) return -1;
  const ms = Math.max(0, at - store.now());
  // Redis rounds to the nearest second: (ttl + 500) / 1000 in integer arithmetic.
  return unit === "ms" ? ms : Math.floor((ms + 500) / 1000);
}

function scan(store: MemoryStore, [cursorText, ...options]: string[]): Reply {
  if (!/^[0-9]+$/.test(cursorText!)) throw new RedisError("ERR invalid cursor");
  let count = 10;
  let match: RegExp | null = null;
  let type: string | null = null;
  for (let i = 0; i < options.length; i += 2) {
    const option = lower(options[i]);
    const value = options[i + 1];
    if (value === undefined) throw new RedisError(SYNTAX);
    if (option === "count") {
      const parsed = parseInt64(value);
      if (parsed < 1n) throw new RedisError(SYNTAX);
      count = Number(parsed);
    } else if (option === "match") {
      match = compileGlob(value);
    } else if (option === "type") {
      type = lower(value);
    } else {
      throw new RedisError(SYNTAX);
    }
  }
  const [next, keys] = store.scan(
    Number(cursorText),
    count,
    (key, keyType) => (match === null || match.test(key)) && (type === null || keyType === type),
  );
  return [String(next), keys];
}

function hincrby(store: MemoryStore, [key, field, increment]: string[]): Reply {
  const delta = parseInt64(increment);
  const hash = store.getOrCreate(key!, "hash");
  const current = hash.get(field!);
  const next = addInt64(
    current === undefined ? 0n : parseInt64(current, "ERR hash value is not an integer"),
    delta,
  );
  hash.set(field!, next.toString());
  return Number(next);
}

function hset(store: MemoryStore, [key, ...pairs]: string[], command: string): number {
  if (pairs.length % 2 !== 0) throw new RedisError(`ERR wrong number of arguments for '${command}' command`);
  const hash = store.getOrCreate(key!, "hash");
  let added = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    if (!hash.has(pairs[i]!)) added++;
    hash.set(pairs[i]!, pairs[i + 1]!);
  }
  return added;
}

function mset(store: MemoryStore, pairs: string[], command: string): void {
  if (pairs.length % 2 !== 0) throw new RedisError(`ERR wrong number of arguments for '${command}' command`);
  for (let i = 0; i < pairs.length; i += 2) store.setString(pairs[i]!, pairs[i + 1]!, null);
}

function flush(store: MemoryStore, [mode, ...rest]: string[]): Reply {
  if (rest.length > 0 || (mode !== undefined && !["async", "sync"].includes(lower(mode)))) {
    throw new RedisError(SYNTAX);
  }
  store.clear();
  return "OK";
}

/** Lua needs a Lua VM; rather than pretend, tell the developer how to get the real thing. */
function unsupported(name: string): CommandSpec {
  return {
    arity: -1,
    handler: () => {
      throw new RedisError(
        `ERR ${name} is not supported by the in-memory backend of the emulator; set REDIS_URL`,
      );
    },
  };
}

const byteLength = (text: string) => Buffer.byteLength(text, "utf8");

export const COMMANDS: Record<string, CommandSpec> = {
  // Strings
  get: { arity: 2, handler: (s, [k]) => s.get(k!, "string") ?? null },
  set: { arity: -3, handler: set },
  setex: {
    arity: 4,
    handler: (s, [k, seconds, v]) => {
      const { at, positive, invalid } = deadline(s, seconds, "s", false, "setex");
      if (!positive) throw invalid;
      s.setString(k!, v!, at);
      return "OK";
    },
  },
  psetex: {
    arity: 4,
    handler: (s, [k, ms, v]) => {
      const { at, positive, invalid } = deadline(s, ms, "ms", false, "psetex");
      if (!positive) throw invalid;
      s.setString(k!, v!, at);
      return "OK";
    },
  },
  setnx: { arity: 3, handler: (s, [k, v]) => (set(s, [k!, v!, "nx"]) === "OK" ? 1 : 0) },
  mget: {
    arity: -2,
    // MGET answers nil for keys of another type instead of failing (Redis does the same).
    handler: (s, keys) => keys.map((k) => (s.type(k) === "string" ? s.get(k, "string")! : null)),
  },
  mset: {
    arity: -3,
    handler: (s, pairs) => {
      mset(s, pairs, "mset");
      return "OK";
    },
  },
  msetnx: {
    arity: -3,
    handler: (s, pairs) => {
      if (pairs.length % 2 !== 0) throw new RedisError("ERR wrong number of arguments for 'msetnx' command");
      if (pairs.some((k, i) => i % 2 === 0 && s.has(k))) return 0;
      mset(s, pairs, "msetnx");
      return 1;
    },
  },
  incr: { arity: 2, handler: (s, [k]) => incrBy(s, k!, 1n) },
  decr: { arity: 2, handler: (s, [k]) => incrBy(s, k!, -1n) },
  incrby: { arity: 3, handler: (s, [k, by]) => incrBy(s, k!, parseInt64(by)) },
  decrby: { arity: 3, handler: (s, [k, by]) => incrBy(s, k!, -parseInt64(by)) },
  getdel: {
    arity: 2,
    handler: (s, [k]) => {
      const value = s.get(k!, "string");
      if (value !== undefined) s.delete(k!);
      return value ?? null;
    },
  },
  getset: {
    arity: 3,
    handler: (s, [k, v]) => {
      const old = s.get(k!, "string");
      s.setString(k!, v!, null);
      return old ?? null;
    },
  },
  append: {
    arity: 3,
    handler: (s, [k, v]) => {
      const next = (s.get(k!, "string") ?? "") + v!;
      s.setString(k!, next, "keep");
      return byteLength(next);
    },
  },
  strlen: { arity: 2, handler: (s, [k]) => byteLength(s.get(k!, "string") ?? "") },

  // Keys
  del: { arity: -2, handler: (s, keys) => keys.filter((k) => s.delete(k)).length },
  unlink: { arity: -2, handler: (s, keys) => keys.filter((k) => s.delete(k)).length },
  exists: { arity: -2, handler: (s, keys) => keys.filter((k) => s.has(k)).length },
  expire: { arity: -3, handler: (s, args) => expire(s, args, "s", false, "expire") },
  pexpire: { arity: -3, handler: (s, args) => expire(s, args, "ms", false, "pexpire") },
  expireat: { arity: -3, handler: (s, args) => expire(s, args, "s", true, "expireat") },
  pexpireat: { arity: -3, handler: (s, args) => expire(s, args, "ms", true, "pexpireat") },
  ttl: { arity: 2, handler: (s, [k]) => ttl(s, k!, "s") },
  pttl: { arity: 2, handler: (s, [k]) => ttl(s, k!, "ms") },
  persist: {
    arity: 2,
    handler: (s, [k]) => {
      if (typeof s.expiresAt(k!) !== "number") return 0;
      s.setExpiresAt(k!, null);
      return 1;
    },
  },
  type: { arity: 2, handler: (s, [k]) => s.type(k!) },
  keys: {
    arity: 2,
    handler: (s, [pattern]) => {
      const regex = compileGlob(pattern!);
      return s.keys().filter((k) => regex.test(k));
    },
  },
  scan: { arity: -2, handler: scan },
  dbsize: { arity: 1, handler: (s) => s.size() },
  flushdb: { arity: -1, handler: flush },
  flushall: { arity: -1, handler: flush },
  ping: {
    arity: -1,
    handler: (_s, args) => {
      if (args.length > 1) throw new RedisError("ERR wrong number of arguments for 'ping' command");
      return args[0] ?? "PONG";
    },
  },
  echo: { arity: 2, handler: (_s, [message]) => message! },
  time: {
    arity: 1,
    handler: (s) => {
      const ms = s.now();
      return [String(Math.floor(ms / 1000)), String((ms % 1000) * 1000)];
    },
  },

  // Hashes
  hset: { arity: -4, handler: (s, args) => hset(s, args, "hset") },
  hmset: {
    arity: -4,
    handler: (s, args) => {
      hset(s, args, "hmset");
      return "OK";
    },
  },
  hsetnx: {
    arity: 4,
    handler: (s, [k, f, v]) => {
      const hash = s.getOrCreate(k!, "hash");
      if (hash.has(f!)) return 0;
      hash.set(f!, v!);
      return 1;
    },
  },
  hget: { arity: 3, handler: (s, [k, f]) => s.get(k!, "hash")?.get(f!) ?? null },
  hmget: {
    arity: -3,
    handler: (s, [k, ...fields]) => {
      const hash = s.get(k!, "hash");
      return fields.map((f) => hash?.get(f) ?? null);
    },
  },
  // Flat [field, value, ...], as Redis replies; Upstash's REST protocol never sends objects.
  hgetall: { arity: 2, handler: (s, [k]) => [...(s.get(k!, "hash") ?? new Map<string, string>())].flat() },
  hdel: {
    arity: -3,
    handler: (s, [k, ...fields]) => {
      const hash = s.get(k!, "hash");
      if (!hash) return 0;
      const removed = fields.filter((f) => hash.delete(f)).length;
      s.deleteIfEmpty(k!);
      return removed;
    },
  },
  hincrby: { arity: 4, handler: hincrby },
  hexists: { arity: 3, handler: (s, [k, f]) => (s.get(k!, "hash")?.has(f!) ? 1 : 0) },
  hlen: { arity: 2, handler: (s, [k]) => s.get(k!, "hash")?.size ?? 0 },
  hkeys: { arity: 2, handler: (s, [k]) => [...(s.get(k!, "hash")?.keys() ?? [])] },
  hvals: { arity: 2, handler: (s, [k]) => [...(s.get(k!, "hash")?.values() ?? [])] },

  // Sets (cheap to have; the app may use them for tag-style invalidation)
  sadd: {
    arity: -3,
    handler: (s, [k, ...members]) => {
      const set = s.getOrCreate(k!, "set");
      return members.filter((m) => !set.has(m) && set.add(m)).length;
    },
  },
  srem: {
    arity: -3,
    handler: (s, [k, ...members]) => {
      const set = s.get(k!, "set");
      if (!set) return 0;
      const removed = members.filter((m) => set.delete(m)).length;
      s.deleteIfEmpty(k!);
      return removed;
    },
  },
  smembers: { arity: 2, handler: (s, [k]) => [...(s.get(k!, "set") ?? [])] },
  sismember: { arity: 3, handler: (s, [k, m]) => (s.get(k!, "set")?.has(m!) ? 1 : 0) },
  scard: { arity: 2, handler: (s, [k]) => s.get(k!, "set")?.size ?? 0 },

  // Scripting: deliberately unsupported (see unsupported()).
  eval: unsupported("EVAL"),
  evalsha: unsupported("EVALSHA"),
  eval_ro: unsupported("EVAL_RO"),
  evalsha_ro: unsupported("EVALSHA_RO"),
  script: unsupported("SCRIPT"),
  fcall: unsupported("FCALL"),
  fcall_ro: unsupported("FCALL_RO"),
  function: unsupported("FUNCTION"),
};

/**
 * What Redis checks before queueing a command in MULTI: that it exists and has a valid arity.
 * Returns the error text, or null when the command may run.
 */
export function precheck(command: string[]): string | null {
  const [name = "", ...args] = command;
  const spec = Object.hasOwn(COMMANDS, name.toLowerCase()) ? COMMANDS[name.toLowerCase()] : undefined;
  if (!spec) {
    // Same shape as Redis 7: each argument quoted and followed by a space, ~128 chars max.
    let shown = "";
    for (const arg of args) {
      if (shown.length >= 128) break;
      shown += `'${arg.slice(0, 128 - shown.length)}' `;
    }
    return `ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${shown}`;
  }
  const words = command.length;
  if (spec.arity > 0 ? words !== spec.arity : words < -spec.arity) {
    return `ERR wrong number of arguments for '${name.toLowerCase()}' command`;
  }
  return null;
}

/** Runs one command synchronously; throws RedisError like Redis would reply with an error. */
export function execute(store: MemoryStore, command: string[]): Reply {
  const problem = precheck(command);
  if (problem) throw new RedisError(problem);
  const [name, ...args] = command;
  return COMMANDS[name!.toLowerCase()]!.handler(store, args);
}
