import type { z } from "zod";
import type { Money } from "@/shared/money";
import type {
  BookingRef,
  ConnectorOperation,
  HoldRequest,
  OperatorConnector,
  Party,
  Selection,
} from "./connector";
import {
  bookingResponse,
  cancelChargeResponse,
  chargeDetails,
  changesResponse,
  errorBody,
  quote,
  routesResponse,
  sailingsResponse,
  toBooking,
  toChange,
  toNetwork,
  toOffers,
  toQuote,
} from "./ferrygateway-json-wire";
import { OperatorError, type OperatorErrorInit } from "./operator-error";

/**
 * The connector over the JSON rendering of FerryGateway (emulators/operator/README.md): one HTTP call per
 * method, each bounded by the operator's timeout, each answer validated before it is mapped. It never
 * retries (search must not wait twice; worker tasks retry through graphile-worker) and never logs:
 * passenger details travel in the Book body only, and errors say what failed, never what was sent.
 */

export interface FerryGatewayJsonOptions {
  code: string;
  /** The reservation system's base URL; the API is under `/ferrygateway/v1`. */
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const API_PREFIX = "/ferrygateway/v1";
/** No answer Traverse reads comes near this; anything bigger is not an answer to trust. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

type Method = { wire: string; http: "POST" } | { wire: "changes"; http: "GET" };

export function createFerryGatewayJsonConnector(opts: FerryGatewayJsonOptions): OperatorConnector {
  const { code, apiKey, timeoutMs } = opts;
  const base = opts.baseUrl.replace(/\/+$/, "") + API_PREFIX;
  const doFetch = opts.fetch ?? fetch;
  const fail = (
    kind: OperatorError["kind"],
    op: ConnectorOperation,
    message: string,
    init?: OperatorErrorInit,
  ) => new OperatorError(kind, code, op, message, init);

  async function call<S extends z.ZodType>(
    op: ConnectorOperation,
    method: Method,
    schema: S,
    body?: unknown,
    query?: URLSearchParams,
  ): Promise<z.output<S>> {
    const url = `${base}/${method.wire}${query && [...query].length ? `?${query}` : ""}`;
    let status: number;
    let retryAfter: string | null;
    let text: string;
    try {
      const response = await doFetch(url, {
        method: method.http,
        headers: {
          authorization: `Bearer ${apiKey}`,
          accept: "application/json",
          ...(method.http === "POST" ? { "content-type": "application/json" } : {}),
        },
        body: method.http === "POST" ? JSON.stringify(body ?? {}) : undefined,
        // Covers the whole exchange, body included: a trickling answer times out like a silent one.
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "manual",
      });
      status = response.status;
      retryAfter = response.headers.get("retry-after");
      const length = Number(response.headers.get("content-length") ?? 0);
      if (length > MAX_RESPONSE_BYTES) {
        await response.body?.cancel();
        throw fail("bad_response", op, `answer of ${length} bytes is too large`, { status });
      }
      text = await response.text();
    } catch (e) {
      if (e instanceof OperatorError) throw e;
      throw transportError(e, op);
    }
    if (status >= 200 && status < 300) return parseAnswer(op, status, text, schema);
    throw errorAnswer(op, status, retryAfter, text);
  }

  function transportError(e: unknown, op: ConnectorOperation): OperatorError {
    const name = (e as { name?: unknown })?.name;
    if (name === "TimeoutError" || name === "AbortError") {
      return fail("timeout", op, `no answer within ${timeoutMs} ms`);
    }
    // fetch wraps the socket error; only its code (ECONNREFUSED, UND_ERR_SOCKET…) is worth keeping.
    const cause = (e as { cause?: { code?: unknown } })?.cause?.code;
    const detail = typeof cause === "string" && /^[A-Z_]{2,40}$/.test(cause) ? ` (${cause})` : "";
    return fail("unavailable", op, `could not reach the reservation system${detail}`);
  }

  function parseAnswer<S extends z.ZodType>(op: ConnectorOperation, status: number, text: string, schema: S) {
    const json = parseJson(text);
    if (json === undefined) throw fail("bad_response", op, `answer ${status} is not JSON`, { status });
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw fail(
        "bad_response",
        op,
        `answer ${status} does not match the contract (${issuePaths(parsed.error)})`,
        {
          status,
        },
      );
    }
    return parsed.data as z.output<S>;
  }

  function errorAnswer(op: ConnectorOperation, status: number, retryAfter: string | null, text: string) {
    const parsed = errorBody.safeParse(parseJson(text));
    const errorCode = parsed.success ? parsed.data.error.code : undefined;
    if (status === 429) {
      const retryAfterSeconds = parseRetryAfter(retryAfter) ?? 1;
      return fail("rate_limited", op, `rate limited; retry after ${retryAfterSeconds} s`, {
        status,
        code: errorCode,
        retryAfterSeconds,
      });
    }
    if (status >= 500) {
      const retryAfterSeconds = parseRetryAfter(retryAfter);
      return fail(
        "unavailable",
        op,
        `the reservation system answered ${status}${errorCode ? ` ${errorCode}` : ""}`,
        {
          status,
          code: errorCode,
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        },
      );
    }
    if (status < 400 || !parsed.success || errorCode === undefined) {
      return fail("bad_response", op, `unexpected answer ${status}`, { status });
    }
    const details = parsed.data.error.details ?? {};
    const init: OperatorErrorInit = { status, code: errorCode, ...refusalDetails(op, errorCode, details) };
    return fail("refused", op, `refused ${errorCode} (${status})`, init);
  }

  /** The structured parts of a refusal callers act on; a malformed one is a contract breach. */
  function refusalDetails(op: ConnectorOperation, errorCode: string, details: Record<string, unknown>) {
    switch (errorCode) {
      case "PRICE_CHANGED": {
        const fresh = quote.safeParse(details.price);
        if (!fresh.success) throw fail("bad_response", op, "PRICE_CHANGED without a valid new price");
        return { newQuote: toQuote(fresh.data) };
      }
      case "SOLD_OUT": {
        const { resource, free, needed } = details;
        return typeof resource === "string" && typeof free === "number" && typeof needed === "number"
          ? { soldOut: { resource, free, needed } }
          : {};
      }
      case "CHARGE_CHANGED": {
        const now = chargeDetails.safeParse(details);
        return now.success ? { charge: now.data } : {};
      }
      case "IDEMPOTENCY_CONFLICT":
        return typeof details.operatorReference === "string"
          ? { operatorReference: details.operatorReference }
          : {};
      case "VALIDATION_ERROR": {
        const issues = Array.isArray(details.issues) ? details.issues : [];
        const fields = issues
          .map((i) => (i as { path?: unknown })?.path)
          .filter((p): p is string => typeof p === "string" && /^[A-Za-z0-9_.]{0,100}$/.test(p));
        return { fields };
      }
      default:
        return {};
    }
  }

  const post = (wire: string): Method => ({ wire, http: "POST" });

  /** The booking answered must be the one asked for: acting on another would move the wrong places. */
  function named<B extends { agentReference: string; operatorReference: string }>(
    op: ConnectorOperation,
    ref: BookingRef,
    booking: B,
  ): B {
    const agent =
      ref.agentReference === undefined || sameReference(ref.agentReference, booking.agentReference);
    const operator =
      ref.operatorReference === undefined || sameReference(ref.operatorReference, booking.operatorReference);
    if (!agent || !operator) throw fail("bad_response", op, "the booking answered is not the one asked for");
    return booking;
  }

  return {
    code,
    async routes() {
      return toNetwork(await call("routes", post("GetRoutes"), routesResponse, {}));
    },
    async sailings(route, day, party) {
      const body = { from: route.from, to: route.to, date: day, ...partyBody(party) };
      return toOffers(code, await call("sailings", post("GetSailings"), sailingsResponse, body));
    },
    async price(selection: Selection) {
      const body = {
        sailingId: selection.sailingRef,
        accommodation: selection.accommodation,
        ...partyBody(selection.party),
      };
      return toQuote(await call("price", post("GetPrice"), quote, body));
    },
    async hold(request: HoldRequest) {
      const answer = await call("hold", post("Book"), bookingResponse, bookBody(request));
      return toBooking(code, named("hold", { agentReference: request.agentReference }, answer.booking));
    },
    async confirm(ref: BookingRef) {
      const answer = await call("confirm", post("ConfirmBooking"), bookingResponse, refBody(ref));
      return toBooking(code, named("confirm", ref, answer.booking));
    },
    async recall(ref: BookingRef) {
      const answer = await call("recall", post("RecallBooking"), bookingResponse, refBody(ref));
      return toBooking(code, named("recall", ref, answer.booking));
    },
    async cancelCharge(ref: BookingRef) {
      const c = await call("cancelCharge", post("GetCancelCharge"), cancelChargeResponse, refBody(ref));
      return { ...c, booking: toBooking(code, named("cancelCharge", ref, c.booking)) };
    },
    async cancel(ref: BookingRef, expectedCharge?: Money) {
      const body = { ...refBody(ref), ...(expectedCharge ? { expectedCharge } : {}) };
      const c = await call("cancel", post("CancelBooking"), cancelChargeResponse, body);
      return { ...c, booking: toBooking(code, named("cancel", ref, c.booking)) };
    },
    async changes(since, limit) {
      const query = new URLSearchParams();
      if (since !== null) query.set("since", since);
      if (limit !== undefined) query.set("limit", String(limit));
      const page = await call("changes", { wire: "changes", http: "GET" }, changesResponse, undefined, query);
      try {
        return { changes: page.changes.map(toChange), nextCursor: page.nextCursor, hasMore: page.hasMore };
      } catch (e) {
        const paths = e instanceof Error && "issues" in e ? issuePaths(e as z.ZodError) : "change";
        throw fail("bad_response", "changes", `a change does not match the contract (${paths})`);
      }
    },
  };
}

// ---- request bodies -------------------------------------------------------------------------------

function partyBody(party: Party) {
  return {
    passengers: { adults: party.adults, children: party.children ?? 0, infants: party.infants ?? 0 },
    ...(party.vehicle ? { vehicle: { type: party.vehicle } } : {}),
    pets: party.pets ?? 0,
  };
}

/** Optional fields are left out rather than sent as null: the contract refuses unknown or null values. */
function bookBody(r: HoldRequest) {
  const present = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
  return {
    agentReference: r.agentReference,
    sailingId: r.sailingRef,
    accommodation: r.accommodation,
    passengers: r.passengers.map((p) => present(p)),
    ...(r.vehicle ? { vehicle: present(r.vehicle) } : {}),
    pets: r.pets ?? 0,
    ...(r.quoteId ? { quoteId: r.quoteId } : {}),
    expectedTotal: { amount: r.expectedTotal.amount, currency: r.expectedTotal.currency },
  };
}

function refBody(ref: BookingRef) {
  return {
    ...(ref.operatorReference ? { operatorReference: ref.operatorReference } : {}),
    ...(ref.agentReference ? { agentReference: ref.agentReference } : {}),
  };
}

// ---- helpers --------------------------------------------------------------------------------------

function sameReference(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Where the answer broke the contract: paths only, never the values found there. */
function issuePaths(error: z.ZodError): string {
  const paths = error.issues.slice(0, 3).map((i) => i.path.join(".") || "(root)");
  return paths.join(", ");
}

/** `retry-after` is whole seconds or an HTTP date; either becomes seconds from now (at least 1). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.max(1, Number(trimmed));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(1, Math.ceil((at - now) / 1000));
}
