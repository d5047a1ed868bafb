import superjson from "superjson";

/**
 * The one tRPC-over-HTTP client of the tests, fault scenarios, benchmarks and e2e fixtures: requests built
 * the way the app's own client sends them (superjson envelope; queries as POST bodies by method override,
 * so an email never travels in a URL; same-origin `Origin` on every POST; batches as `?batch=1`), answers
 * read into status + data + the typed error reason. It only builds `Request`s and reads `Response`s; how a
 * request travels is the caller's choice (`Send`): `fetch` to a running server, a route handler called in
 * process (tests/security), or Playwright's request context (which carries the browser's cookies).
 */

/** Where in-process route tests pretend the app lives (they stub APP_URL to it). */
export const ORIGIN = "http://localhost:3000";

export type Send = (req: Request) => Promise<Response>;

export interface TrpcRequestOptions {
  /** The app's URL; default ORIGIN. */
  baseUrl?: string;
  /** POST (default: what the app's client does for queries and mutations alike) or GET. */
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** The traveller's address, sent as X-Forwarded-For (the server honours it behind TRUSTED_PROXY_HOPS). */
  clientAddress?: string;
  /** The Origin header of a POST: default the app's own origin; null sends none. */
  origin?: string | null;
  cookie?: string;
  /** The serialised input exactly as sent, unchecked (fuzzing): replaces the superjson envelope. */
  raw?: string;
  signal?: AbortSignal;
}

/** The superjson envelope of an input, as the app's client serialises it (`undefined`: no input). */
export function encodeInput(input: unknown): string | undefined {
  return input === undefined ? undefined : JSON.stringify(superjson.serialize(input));
}

/** The path and query of a GET call: `/api/trpc/<path>?input=…` (for load generators that build URLs). */
export function trpcGetPath(path: string, input?: unknown, raw?: string): string {
  const q = raw ?? encodeInput(input);
  return `/api/trpc/${path}${q === undefined ? "" : `?input=${encodeURIComponent(q)}`}`;
}

/** The headers a POST carries: JSON, same-origin, optional client address and cookie, then `extra`. */
export function trpcPostHeaders(
  opts: Pick<TrpcRequestOptions, "baseUrl" | "headers" | "clientAddress" | "origin" | "cookie"> = {},
): Record<string, string> {
  const h: Record<string, string> = { "content-type": "application/json" };
  const origin = opts.origin === undefined ? new URL(opts.baseUrl ?? ORIGIN).origin : opts.origin;
  if (origin !== null) h.origin = origin;
  return { ...h, ...commonHeaders(opts) };
}

function commonHeaders(opts: Pick<TrpcRequestOptions, "headers" | "clientAddress" | "cookie">) {
  const h: Record<string, string> = {};
  if (opts.clientAddress) h["x-forwarded-for"] = opts.clientAddress;
  if (opts.cookie) h.cookie = opts.cookie;
  return { ...h, ...opts.headers };
}

/** One call as a `Request`. */
export function trpcRequest(path: string, input: unknown, opts: TrpcRequestOptions = {}): Request {
  const base = (opts.baseUrl ?? ORIGIN).replace(/\/$/, "");
  if ((opts.method ?? "POST") === "GET") {
    return new Request(`${base}${trpcGetPath(path, input, opts.raw)}`, {
      headers: commonHeaders(opts),
      signal: opts.signal,
    });
  }
  return new Request(`${base}/api/trpc/${path}`, {
    method: "POST",
    headers: trpcPostHeaders(opts),
    body: opts.raw ?? encodeInput(input) ?? "",
    signal: opts.signal,
  });
}

/** Several calls in one request (`/api/trpc/a,b?batch=1`), as the app's batching link sends them. */
export function trpcBatchRequest(
  calls: { path: string; input?: unknown }[],
  opts: TrpcRequestOptions = {},
): Request {
  const base = (opts.baseUrl ?? ORIGIN).replace(/\/$/, "");
  const inputs = Object.fromEntries(calls.map((c, i) => [i, superjson.serialize(c.input)]));
  const paths = calls.map((c) => c.path).join(",");
  const body = opts.raw ?? JSON.stringify(inputs);
  if ((opts.method ?? "POST") === "GET") {
    return new Request(`${base}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(body)}`, {
      headers: commonHeaders(opts),
      signal: opts.signal,
    });
  }
  return new Request(`${base}/api/trpc/${paths}?batch=1`, {
    method: "POST",
    headers: trpcPostHeaders(opts),
    body,
    signal: opts.signal,
  });
}

/** The error the server's formatter sends (src/server/api/trpc.ts). */
export interface TrpcError {
  message: string;
  code?: number;
  data: {
    code: string;
    httpStatus: number;
    path?: string;
    fieldErrors?: Record<string, string>;
    details?: Record<string, unknown>;
  };
}

export interface TrpcResult<T = unknown> {
  status: number;
  ok: boolean;
  headers: Headers;
  /** The result's superjson `json` part as sent (dates stay ISO strings). */
  data?: T;
  error?: TrpcError;
  /**
   * The machine-readable reason of a refusal (`SOLD_OUT`, `RATE_LIMITED`, `CROSS_SITE_REQUEST` …), read from
   * `error.data.details.reason`, which the error formatter (src/server/api/trpc.ts) fills for every reason
   * but the generic codes; the app's client reads `error.data.reason` (src/trpc/errors.ts).
   */
  reason?: string;
  /** The error's message, if any. */
  message?: string;
  /**
   * Every error message in the body (a tRPC envelope, each item of a batch, or a route's `{ error }`).
   * A body that is not JSON counts as one message quoting it, so a check for readable messages sees it.
   */
  messages: unknown[];
  /** The body as received, and whether it was JSON at all (a proxy's HTML error page is not). */
  raw: string;
  json: boolean;
}

/** Reads any answer of /api/trpc (or another JSON route) without throwing on a body that is not JSON. */
export async function readTrpc<T = unknown>(res: Response): Promise<TrpcResult<T>> {
  const raw = await res.text();
  const base = { status: res.status, ok: res.ok, headers: res.headers, raw };
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ...base, json: false, messages: [`(not JSON) ${raw.slice(0, 200)}`] };
  }
  const items = Array.isArray(body) ? body : [body];
  const messages = items
    .map((b) => {
      const o = b as { error?: { json?: { message?: unknown } } | string };
      if (typeof o?.error === "string") return o.error;
      return o?.error && typeof o.error === "object" ? o.error.json?.message : undefined;
    })
    .filter((m) => m !== undefined);
  const one = body as { result?: { data?: { json?: T } }; error?: { json?: TrpcError } };
  const error = Array.isArray(body) ? undefined : one?.error?.json;
  return {
    ...base,
    json: true,
    data: Array.isArray(body) ? undefined : one?.result?.data?.json,
    error,
    reason: typeof error?.data?.details?.reason === "string" ? error.data.details.reason : undefined,
    message: error?.message,
    messages,
  };
}

/** Each item of a batch answer, read like a single one. */
export async function readTrpcBatch(res: Response): Promise<{ status: number; items: TrpcResult[] }> {
  const whole = await readTrpc<unknown>(res);
  let body: unknown;
  try {
    body = JSON.parse(whole.raw);
  } catch {
    return { status: whole.status, items: [] };
  }
  const list = Array.isArray(body) ? body : [body];
  const items = await Promise.all(
    list.map((item) =>
      readTrpc(new Response(JSON.stringify(item), { status: res.status, headers: res.headers })),
    ),
  );
  return { status: whole.status, items };
}

export interface TrpcClient {
  readonly baseUrl: string;
  /** One call; POST unless `opts.method` says GET. Never throws for an HTTP error: read `status`. */
  call<T = unknown>(path: string, input?: unknown, opts?: TrpcRequestOptions): Promise<TrpcResult<T>>;
  /** One call whose answer must be a 200: returns its data, or throws with the status and message. */
  data<T = unknown>(path: string, input?: unknown, opts?: TrpcRequestOptions): Promise<T>;
  batch(calls: { path: string; input?: unknown }[], opts?: TrpcRequestOptions): Promise<TrpcResult[]>;
}

/**
 * A client for the app at `baseUrl`. `defaults` apply to every call (a call's own options win); requests
 * time out after `timeoutMs` (default 30 s) unless a call passes its own signal.
 */
export function trpcClient(
  baseUrl: string,
  defaults: Omit<TrpcRequestOptions, "baseUrl" | "raw" | "signal"> & { send?: Send; timeoutMs?: number } = {},
): TrpcClient {
  const { send = (req: Request) => fetch(req), timeoutMs = 30_000, ...rest } = defaults;
  const options = (opts: TrpcRequestOptions = {}): TrpcRequestOptions => ({
    ...rest,
    ...opts,
    baseUrl,
    headers: { ...rest.headers, ...opts.headers },
    signal: opts.signal ?? AbortSignal.timeout(timeoutMs),
  });
  const client: TrpcClient = {
    baseUrl,
    async call<T>(path: string, input?: unknown, opts?: TrpcRequestOptions) {
      return readTrpc<T>(await send(trpcRequest(path, input, options(opts))));
    },
    async data<T>(path: string, input?: unknown, opts?: TrpcRequestOptions) {
      const r = await client.call<T>(path, input, opts);
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.message ?? r.raw.slice(0, 300)}`);
      return r.data as T;
    },
    async batch(calls, opts) {
      return (await readTrpcBatch(await send(trpcBatchRequest(calls, options(opts))))).items;
    },
  };
  return client;
}

/**
 * The parts of Playwright's APIRequestContext the client needs (structural, so this module does not load
 * Playwright): requests through it carry the browser context's cookies.
 */
export interface RequestContextLike {
  fetch(
    url: string,
    options: { method: string; headers: Record<string, string>; data?: string },
  ): Promise<{
    status(): number;
    headersArray(): { name: string; value: string }[];
    body(): Promise<Buffer>;
  }>;
}

/** A `Send` through Playwright's request context (`page.request` or the `request` fixture). */
export function viaRequestContext(request: RequestContextLike): Send {
  return async (req) => {
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => {
      headers[k] = v;
    });
    const body = req.method === "GET" ? undefined : await req.text();
    const res = await request.fetch(req.url, { method: req.method, headers, data: body });
    const h = new Headers();
    for (const { name, value } of res.headersArray()) h.append(name, value);
    return new Response(new Uint8Array(await res.body()), { status: res.status(), headers: h });
  };
}

// The signatures tests/security/* and tests/helpers/route-stack.ts have used since before this module.

/** A same-origin JSON POST to ORIGIN, the way the app's client sends every call. */
export function trpcPost(path: string, input: unknown, headers: Record<string, string> = {}): Request {
  return trpcRequest(path, input, { method: "POST", headers });
}

/** A GET to ORIGIN with the input in the URL (queries only; lookups carrying an email are refused). */
export function trpcGet(path: string, input: unknown, headers: Record<string, string> = {}): Request {
  return trpcRequest(path, input, { method: "GET", headers });
}

export type TrpcAnswer<T = unknown> = TrpcResult<T>;

/** Reads a route handler's answer. */
export const answer = readTrpc;
