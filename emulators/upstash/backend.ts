/**
 * The contract between the HTTP layer (server.ts) and the two ways of executing commands
 * (a real Redis behind ioredis, or the in-memory subset). Kept tiny so the HTTP layer never
 * needs to know which backend it talks to.
 */

/**
 * A Redis reply as the backends produce it. Buffers come from the redis backend (ioredis
 * `callBuffer`), so binary values survive until the encoder decides how to put them on the wire.
 */
export type Reply = string | Buffer | number | null | Reply[];

/** One entry of a `/pipeline` or `/multi-exec` response, before wire encoding. */
export type Outcome = { result: Reply } | { error: string };

/**
 * An error that Redis itself would have replied with (`-ERR ...`). Its message is sent to the
 * client verbatim: the SDK matches on it (e.g. "noscript" drives the EVALSHA → EVAL fallback).
 */
export class RedisError extends Error {
  override name = "RedisError";
}

/**
 * The backend could not execute anything (e.g. Redis went away). Reported as HTTP 500 rather
 * than as a per-command error, because no command result is trustworthy in that case.
 */
export class BackendUnavailableError extends Error {
  override name = "BackendUnavailableError";
}

export interface Backend {
  readonly kind: "redis" | "memory";
  /** Runs one command. Rejects with RedisError for a Redis-level error. */
  run(command: string[]): Promise<Reply>;
  /** Runs commands in order, not atomically; one failing command does not stop the others. */
  pipeline(commands: string[][]): Promise<Outcome[]>;
  /**
   * Runs commands atomically (MULTI/EXEC). A command Redis would refuse to queue (unknown
   * command, wrong arity) aborts the whole transaction with an EXECABORT RedisError.
   */
  transaction(commands: string[][]): Promise<Outcome[]>;
  close(): Promise<void>;
}
