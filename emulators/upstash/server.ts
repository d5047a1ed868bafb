import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Latency, type LatencyState } from "../shared/latency";
import { type Backend, BackendUnavailableError, RedisError } from "./backend";
import { handleControl } from "./control";
import { MemoryBackend } from "./memory-backend";
import {
  commandFromPath,
  encodeOutcome,
  encodeReply,
  ProtocolError,
  parseJson,
  toCommand,
  toCommands,
} from "./protocol";
import { connectRedisBackend, describeRedisUrl } from "./redis-backend";

/**
 * A local stand-in for Upstash Redis: the Upstash REST protocol in front of a real
 * Redis when one answers at `redisUrl`, else in front of an in-memory Redis subset. The official
 * `@upstash/redis` SDK works against it unchanged; only the URL and token differ.
 */

export interface UpstashEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  token: string;
  /** When given and reachable, commands are proxied to this Redis; otherwise memory is used. */
  redisUrl?: string;
  /**
   * With a Redis backend: keep every key under this prefix, so emulators sharing one Redis (concurrent
   * test runs) never see each other's keys. The memory backend is private to its emulator already.
   */
  keyPrefix?: string;
  log?: (line: string) => void;
}

export interface UpstashEmulator {
  url: string;
  backend: "redis" | "memory";
  /** Same as POST /_emulator/delay: every API request waits `ms` first (0 ends it). */
  delay(ms: number): void;
  /** Same as POST /_emulator/hang: API requests get no answer until `hang(false)`. */
  hang(on: boolean): void;
  latencyState(): LatencyState;
  /** API requests received so far (GET /_emulator/requests). */
  requests(): number;
  close(): Promise<void>;
}

/** Generous next to Upstash's own request limits; only here so a runaway client cannot OOM us. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startUpstashEmulator(opts: UpstashEmulatorOptions): Promise<UpstashEmulator> {
  const log = opts.log ?? (() => {});
  const host = opts.host ?? "127.0.0.1";
  const backend = await selectBackend(opts.redisUrl, opts.keyPrefix, log);
  const isAuthorized = tokenChecker(opts.token);
  // The SDK echoes this header back for read-your-writes; any increasing value satisfies it.
  let syncToken = 0;
  const latency = new Latency();
  let received = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const known =
        error instanceof HttpError || error instanceof ProtocolError || error instanceof RedisError;
      const status = error instanceof HttpError ? error.status : known ? 400 : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (status >= 500) log(`upstash emulator: ${req.method} ${req.url?.split("?")[0]} failed: ${message}`);
      const text =
        status === 500 && !(error instanceof BackendUnavailableError)
          ? "ERR internal emulator error"
          : message;
      send(res, status, { error: text });
    });
  });

  function send(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent) return;
    res.writeHead(status, {
      "content-type": "application/json",
      "upstash-sync-token": String(++syncToken),
    });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const body = await readBody(req);
    if (url.pathname.startsWith("/_emulator/")) {
      const reset = () => {
        latency.reset();
        received = 0;
      };
      const ctx = { latency, requests: () => received, reset, now: Date.now };
      const result = handleControl(ctx, req.method ?? "GET", url.pathname, body);
      res.writeHead(result.status, { "content-type": "application/json" });
      res.end(JSON.stringify(result.body));
      return;
    }
    received++;
    // One wait per HTTP request: a pipeline of commands is one round trip, as with Upstash itself.
    await latency.gate(req.method ?? "POST", url.pathname);
    if (!isAuthorized(req.headers.authorization, url.searchParams.get("_token"))) {
      throw new HttpError(401, "Unauthorized");
    }
    if (req.method !== "POST" && req.method !== "GET") throw new HttpError(405, "Method Not Allowed");
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";

    if (req.method === "POST" && url.pathname === "/") {
      const result = await backend.run(toCommand(parseJson(body)));
      return send(res, 200, { result: encodeReply(result, base64) });
    }
    if (req.method === "POST" && (url.pathname === "/pipeline" || url.pathname === "/multi-exec")) {
      const commands = toCommands(parseJson(body));
      const outcomes =
        url.pathname === "/pipeline" ? await backend.pipeline(commands) : await backend.transaction(commands);
      // Per-command errors travel inside a 200, as Upstash does; the SDK inspects each entry.
      return send(
        res,
        200,
        outcomes.map((outcome) => encodeOutcome(outcome, base64)),
      );
    }
    const command = commandFromPath(url.pathname, url.searchParams, req.method === "POST" ? body : "");
    const result = await backend.run(command);
    send(res, 200, { result: encodeReply(result, base64) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    backend: backend.kind,
    delay: (ms) => latency.setDelay({ ms, method: null, path: null }),
    hang: (on) => latency.setHang(on ? { method: null, path: null, until: null } : null),
    latencyState: () => latency.state(),
    requests: () => received,
    close() {
      closing ??= (async () => {
        latency.reset();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // The SDK keeps connections alive; without this, close() would wait for their idle timeout.
        server.closeAllConnections();
        await stopped;
        await backend.close();
      })();
      return closing;
    },
  };
}

async function selectBackend(
  redisUrl: string | undefined,
  keyPrefix: string | undefined,
  log: (line: string) => void,
): Promise<Backend> {
  if (!redisUrl) return new MemoryBackend();
  const connected = await connectRedisBackend(redisUrl, log, 1000, { keyPrefix });
  if ("backend" in connected) return connected.backend;
  log(
    `upstash emulator: redis at ${describeRedisUrl(redisUrl)} unreachable (${connected.reason}); using the in-memory backend`,
  );
  return new MemoryBackend();
}

/**
 * Accepts `Authorization: Bearer <token>` or Upstash's `?_token=` query parameter. Compares
 * digests in constant time so response timing does not leak the token.
 */
function tokenChecker(token: string): (header: string | undefined, query: string | null) => boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  const expected = digest(token);
  return (header, query) => {
    const match = /^Bearer (.+)$/i.exec(header ?? "");
    const presented = match?.[1] ?? query;
    return presented !== null && presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "ERR request body too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
