// The operator API: `POST /ferrygateway/v1/<Operation>` with a JSON body, plus `GET
// /ferrygateway/v1/changes`. Each call goes through the same pipeline: count it → outage, auth and
// rate limit decided on arrival → hang and latency → injected failure (before) → validate → run →
// injected failure (after).
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { book, cancel, cancelCharge, confirm, expireDue, recall } from "./bookings";
import { dropExpiredQuotes, getPrice, getRoutes, getSailings, getServices, getTimeTables } from "./catalog";
import { DEFAULT_PAGE, MAX_PAGE } from "./changes";
import { OperatorError, statusError } from "./errors";
import type { Faults, InjectedStatus } from "./faults";
import { parseJsonObject, readBody, sleep } from "./http-util";
import type { TokenBucketLimiter } from "./rate-limiter";
import type { Ctx } from "./sailings";
import { type Operation, operations } from "./types";
import {
  bookingRefRequest,
  bookRequest,
  cancelBookingRequest,
  getPriceRequest,
  getRoutesRequest,
  getSailingsRequest,
  getServicesRequest,
  getTimeTablesRequest,
} from "./schemas";

export const API_PREFIX = "/ferrygateway/v1";

export interface CallRecord {
  /** Real time of arrival, ISO. */
  at: string;
  operation: Operation | "unknown";
  /** HTTP status answered; 0 when the connection was dropped on purpose. */
  status: number;
  latencyMs: number;
  /** Arrival to answer, measured. */
  durationMs: number;
}

export class CallLog {
  private readonly counts = new Map<string, number>();
  private records: CallRecord[] = [];

  arrive(operation: CallRecord["operation"]): CallRecord {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
    const record: CallRecord = {
      at: new Date().toISOString(),
      operation,
      status: 0,
      latencyMs: 0,
      durationMs: 0,
    };
    this.records.push(record);
    // Bounded so a long dev session cannot grow it forever; counts stay exact.
    if (this.records.length > 5_000) this.records = this.records.slice(-2_500);
    return record;
  }

  summary(): { total: number; operations: Record<string, number>; log: CallRecord[] } {
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return { total, operations: Object.fromEntries(this.counts), log: this.records.map((r) => ({ ...r })) };
  }

  reset(): void {
    this.counts.clear();
    this.records = [];
  }
}

export interface ApiContext {
  ctx: Ctx;
  faults: Faults;
  limiter: TokenBucketLimiter | null;
  apiKey: string | undefined;
  calls: CallLog;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  const first = issues[0]!;
  throw new OperatorError(
    400,
    "VALIDATION_ERROR",
    first.path ? `${first.path}: ${first.message}` : first.message,
    {
      issues,
    },
  );
}

type Handler = (ctx: Ctx, body: Record<string, unknown>, url: URL) => { status: number; body: unknown };
const ok = (body: unknown) => ({ status: 200, body });

const HANDLERS: Record<Operation, Handler> = {
  GetRoutes: (ctx, body) => {
    parse(getRoutesRequest, body);
    return ok(getRoutes(ctx));
  },
  GetTimeTables: (ctx, body) => ok(getTimeTables(ctx, parse(getTimeTablesRequest, body))),
  GetSailings: (ctx, body) => ok(getSailings(ctx, parse(getSailingsRequest, body))),
  GetServices: (ctx, body) => ok(getServices(ctx, parse(getServicesRequest, body))),
  GetPrice: (ctx, body) => ok(getPrice(ctx, parse(getPriceRequest, body))),
  Book: (ctx, body) => {
    const outcome = book(ctx, parse(bookRequest, body));
    return { status: outcome.created ? 201 : 200, body: outcome.body };
  },
  ConfirmBooking: (ctx, body) => ok(confirm(ctx, parse(bookingRefRequest, body))),
  RecallBooking: (ctx, body) => ok(recall(ctx, parse(bookingRefRequest, body))),
  GetCancelCharge: (ctx, body) => ok(cancelCharge(ctx, parse(bookingRefRequest, body))),
  CancelBooking: (ctx, body) => ok(cancel(ctx, parse(cancelBookingRequest, body))),
  GetChanges: (ctx, _body, url) => {
    const rawLimit = url.searchParams.get("limit");
    const limit = rawLimit === null ? DEFAULT_PAGE : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new OperatorError(400, "VALIDATION_ERROR", `limit must be a whole number from 1 to ${MAX_PAGE}.`);
    }
    return ok(ctx.feed.page(url.searchParams.get("since"), limit));
  },
};

export function operationOf(path: string): Operation | null {
  if (path === `${API_PREFIX}/changes`) return "GetChanges";
  const name = path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length + 1) : "";
  return name !== "GetChanges" && (operations as readonly string[]).includes(name)
    ? (name as Operation)
    : null;
}

function bearer(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S.*)$/i.exec(req.headers.authorization ?? "");
  return match ? match[1]!.trim() : null;
}

function injected(status: InjectedStatus, headers: Record<string, string>): ApiResponse {
  if (status === "drop") return { status: 0, body: null, headers, drop: true };
  return fromError(statusError(status, status === 429 || status === 503 ? 1 : undefined), headers);
}

function fromError(error: OperatorError, headers: Record<string, string>): ApiResponse {
  return { status: error.status, body: error.body(), headers: { ...headers, ...error.headers } };
}

export async function handleApi(req: IncomingMessage, url: URL, api: ApiContext): Promise<ApiResponse> {
  const started = performance.now();
  const operation = operationOf(url.pathname);
  const record = api.calls.arrive(operation ?? "unknown");
  const headers: Record<string, string> = {
    "x-request-id": `req_${randomBytes(8).toString("hex")}`,
    "x-operator-code": api.ctx.code,
  };
  const response = await respond(req, url, api, operation, headers, record);
  record.status = response.drop ? 0 : response.status;
  record.durationMs = Math.round(performance.now() - started);
  return response;
}

async function respond(
  req: IncomingMessage,
  url: URL,
  api: ApiContext,
  operation: Operation | null,
  headers: Record<string, string>,
  record: CallRecord,
): Promise<ApiResponse> {
  // Decided on arrival, answered after the same delays as everything else.
  let early: OperatorError | null = null;
  const downFor = api.faults.downFor();
  const key = bearer(req);
  if (downFor > 0) early = statusError(503, downFor);
  else if (!key || (api.apiKey !== undefined && key !== api.apiKey)) {
    early = new OperatorError(
      401,
      "UNAUTHORIZED",
      key ? "The API key is not valid." : "Send Authorization: Bearer <API key>.",
      undefined,
      {
        "www-authenticate": 'Bearer realm="ferrygateway"',
      },
    );
  } else if (api.limiter) {
    const decision = api.limiter.take(key);
    Object.assign(headers, decision.headers);
    if (!decision.allowed) early = statusError(429);
  }
  // Read the body now, so a client that gives up during the delay cannot make us read a dead socket.
  let text = "";
  try {
    if (!early && req.method === "POST") text = await readBody(req);
  } catch (error) {
    if (!(error instanceof OperatorError)) throw error;
    early = error;
  }
  if (operation) await api.faults.waitOutHang(operation);
  record.latencyMs = api.faults.drawLatency();
  await sleep(record.latencyMs);
  if (early) return fromError(early, headers);

  if (!operation) {
    return fromError(new OperatorError(404, "NOT_FOUND", `No operation at ${url.pathname}.`), headers);
  }
  const method = operation === "GetChanges" ? "GET" : "POST";
  if (req.method !== method) {
    const error = new OperatorError(405, "METHOD_NOT_ALLOWED", `${operation} takes ${method}.`, undefined, {
      allow: method,
    });
    return fromError(error, headers);
  }
  const before = api.faults.take(operation, "before");
  if (before !== null) return injected(before, headers);

  let result: { status: number; body: unknown };
  try {
    const body = parseJsonObject(text);
    expireDue(api.ctx);
    dropExpiredQuotes(api.ctx);
    result = HANDLERS[operation](api.ctx, body, url);
  } catch (error) {
    if (error instanceof OperatorError) return fromError(error, headers);
    throw error;
  }
  const after = api.faults.take(operation, "after");
  if (after !== null) return injected(after, headers);
  return { status: result.status, body: result.body, headers };
}
