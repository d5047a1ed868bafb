// The Resend API pipeline: injected fault → auth → rate limit → route → idempotency → handler.
// Auth before the rate limit mirrors Resend, whose limit is per team and so needs the key first.
import type { IncomingMessage } from "node:http";
import { getEmail, listEmails, sendBatch, sendEmail, type BatchValidation } from "./email-routes";
import { type ApiResponse, errorResponse, errors } from "./errors";
import { BodyTooLargeError, parseJson, readBody } from "./http-util";
import { canonicalJson, type IdempotencyStore, MAX_IDEMPOTENCY_KEY_LENGTH } from "./idempotency";
import type { SlidingWindowRateLimiter } from "./rate-limiter";
import type { EmulatorState, InjectedFailure } from "./state";

export interface ApiContext {
  state: EmulatorState;
  idempotency: IdempotencyStore;
  limiter: SlidingWindowRateLimiter | null;
  /** When set, the Bearer token must equal it; otherwise any `re_…` key is accepted. */
  apiKey: string | undefined;
  /** Requests/s advertised in ratelimit-limit on injected 429s when no limiter is configured. */
  advertisedLimit: number;
  now: () => number;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function idempotencyKeyOf(req: IncomingMessage): string | null {
  return headerValue(req, "idempotency-key") ?? null;
}

function injectedFailure(failure: InjectedFailure, ctx: ApiContext): ApiResponse {
  if (failure.status === 429) {
    return errors.rateLimited({
      "retry-after": String(failure.retryAfter),
      "ratelimit-limit": String(ctx.advertisedLimit),
      "ratelimit-remaining": "0",
      "ratelimit-reset": String(failure.retryAfter),
    });
  }
  return errors.internal(failure.status);
}

function authenticate(req: IncomingMessage, ctx: ApiContext): { apiKey: string } | { error: ApiResponse } {
  const match = /^Bearer\s+(\S*)\s*$/i.exec(headerValue(req, "authorization") ?? "");
  const token = match?.[1];
  if (!token) return { error: errors.missingApiKey() };
  const valid = ctx.apiKey !== undefined ? token === ctx.apiKey : token.startsWith("re_");
  return valid ? { apiKey: token } : { error: errors.invalidApiKey() };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type Route =
  | { kind: "send" }
  | { kind: "batch" }
  | { kind: "list" }
  | { kind: "get"; id: string }
  | { kind: "error"; response: ApiResponse };

function route(method: string, path: string): Route {
  if (path === "/emails") {
    if (method === "POST") return { kind: "send" };
    if (method === "GET") return { kind: "list" };
    return { kind: "error", response: errors.methodNotAllowed() };
  }
  if (path === "/emails/batch") {
    return method === "POST" ? { kind: "batch" } : { kind: "error", response: errors.methodNotAllowed() };
  }
  const single = /^\/emails\/([^/]+)$/.exec(path);
  if (single) {
    return method === "GET"
      ? { kind: "get", id: safeDecode(single[1] ?? "") }
      : { kind: "error", response: errors.methodNotAllowed() };
  }
  return { kind: "error", response: errors.notFoundEndpoint() };
}

export async function handleApi(req: IncomingMessage, url: URL, ctx: ApiContext): Promise<ApiResponse> {
  const failure = ctx.state.takeFailure(ctx.now());
  if (failure) return injectedFailure(failure, ctx);

  const auth = authenticate(req, ctx);
  if ("error" in auth) return auth.error;

  let rateHeaders: Record<string, string> = {};
  if (ctx.limiter) {
    const decision = ctx.limiter.take(auth.apiKey, ctx.now());
    if (!decision.allowed) return errors.rateLimited(decision.headers);
    rateHeaders = decision.headers;
  }

  const response = await dispatch(req, url, auth.apiKey, ctx);
  return { ...response, headers: { ...rateHeaders, ...response.headers } };
}

async function dispatch(
  req: IncomingMessage,
  url: URL,
  apiKey: string,
  ctx: ApiContext,
): Promise<ApiResponse> {
  const method = req.method ?? "GET";
  const target = route(method, url.pathname);
  switch (target.kind) {
    case "error":
      return target.response;
    case "list":
      return listEmails(ctx.state, url.searchParams);
    case "get":
      return getEmail(ctx.state, target.id);
    case "send":
    case "batch":
      return handlePost(req, url, target.kind, apiKey, ctx);
  }
}

async function handlePost(
  req: IncomingMessage,
  url: URL,
  kind: "send" | "batch",
  apiKey: string,
  ctx: ApiContext,
): Promise<ApiResponse> {
  let mode: BatchValidation = "strict";
  if (kind === "batch") {
    const header = headerValue(req, "x-batch-validation") ?? "strict";
    if (header !== "strict" && header !== "permissive") {
      return errorResponse(
        422,
        "validation_error",
        "The `x-batch-validation` header must be either `strict` or `permissive`.",
      );
    }
    mode = header;
  }

  const key = idempotencyKeyOf(req);
  if (key !== null && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
    return errors.invalidIdempotencyKey();
  }
  if (key !== null && !ctx.idempotency.begin(apiKey, key)) return errors.idempotencyInProgress();
  try {
    let text: string;
    try {
      text = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return errors.bodyTooLarge();
      throw error;
    }
    const parsed = parseJson(text);
    if (!parsed.ok) return errors.invalidJson();

    const fingerprint = `${url.pathname} ${mode} ${canonicalJson(parsed.value)}`;
    if (key !== null) {
      const previous = ctx.idempotency.lookup(apiKey, key, fingerprint, ctx.now());
      if (previous.kind === "replay") return previous.response;
      if (previous.kind === "mismatch") return errors.idempotencyMismatch();
    }

    const capture = { state: ctx.state, now: ctx.now(), idempotencyKey: key };
    const response =
      kind === "send" ? sendEmail(parsed.value, capture) : sendBatch(parsed.value, mode, capture);
    if (key !== null && response.status === 200) {
      ctx.idempotency.save(apiKey, key, fingerprint, response, ctx.now());
    }
    return response;
  } finally {
    if (key !== null) ctx.idempotency.end(apiKey, key);
  }
}
