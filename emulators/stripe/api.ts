// The /v1 routes. Handlers are synchronous over in-memory state, so a request is applied
// atomically and an idempotency key can never see a half-finished twin.
import { createSession, expireSession, getSessionRecord } from "./checkout";
import { resourceMissing, unrecognizedUrl, unsupported } from "./errors";
import { expand, expandList } from "./expand";
import { assertKnownParams, expandParam, optionalObject, optionalString, type Params } from "./form";
import { paginate, type RequestRef } from "./objects";
import { createRefund, getRefund, type RefundDeps } from "./refunds";
import { type Emit, newestFirst, type Store } from "./store";
import type { WebhookDispatcher } from "./webhooks";

export interface ApiContext {
  store: Store;
  webhooks: WebhookDispatcher;
  emit: Emit;
  refunds: RefundDeps;
  publicUrl: string;
  request: RequestRef;
}

const LIST = ["limit", "starting_after", "ending_before", "expand"];

/** List filters Stripe has but the emulator does not implement. */
function refuseFilters(params: Params, names: string[]): void {
  for (const name of names) if (params[name] !== undefined) throw unsupported(name);
}
const RETRIEVE = ["expand"];

type Handler = (ctx: ApiContext, params: Params, id: string) => unknown;

interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  handler: Handler;
}

const ID = "([^/]+)";

const routes: Route[] = [
  {
    method: "POST",
    pattern: /^\/v1\/checkout\/sessions$/,
    handler: (ctx, params) =>
      expand(ctx.store, createSession(ctx.store, params, ctx.publicUrl), expandParam(params)),
  },
  {
    method: "GET",
    pattern: /^\/v1\/checkout\/sessions$/,
    handler: (ctx, params) => {
      refuseFilters(params, ["created", "customer", "payment_link", "subscription"]);
      assertKnownParams(params, [...LIST, "payment_intent", "status", "customer_details"]);
      const intent = optionalString(params, "payment_intent");
      const status = optionalString(params, "status");
      const details = optionalObject(params, "customer_details") ?? {};
      assertKnownParams(details, ["email"], "customer_details");
      const email = optionalString(details, "email", "customer_details[email]");
      const sessions = newestFirst(ctx.store.sessions)
        .map((record) => record.session)
        .filter(
          (session) =>
            (intent === undefined || session.payment_intent === intent) &&
            (status === undefined || session.status === status) &&
            (email === undefined || session.customer_details?.email === email),
        );
      return expandList(ctx.store, paginate(sessions, "/v1/checkout/sessions", params), expandParam(params));
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/checkout/sessions/${ID}$`),
    handler: (ctx, params, id) => {
      assertKnownParams(params, RETRIEVE);
      return expand(ctx.store, getSessionRecord(ctx.store, id).session, expandParam(params));
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/checkout/sessions/${ID}/line_items$`),
    handler: (ctx, params, id) => {
      assertKnownParams(params, LIST);
      const record = getSessionRecord(ctx.store, id);
      const list = paginate(record.lineItems, `/v1/checkout/sessions/${id}/line_items`, params);
      return expandList(ctx.store, list, expandParam(params));
    },
  },
  {
    method: "POST",
    pattern: new RegExp(`^/v1/checkout/sessions/${ID}/expire$`),
    handler: (ctx, params, id) => {
      assertKnownParams(params, RETRIEVE);
      return expand(ctx.store, expireSession(ctx.store, id, ctx.emit, ctx.request), expandParam(params));
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/payment_intents/${ID}$`),
    handler: (ctx, params, id) => {
      assertKnownParams(params, [...RETRIEVE, "client_secret"]);
      const intent = ctx.store.paymentIntents.get(id);
      if (!intent) throw resourceMissing("payment_intent", id, "intent");
      return expand(ctx.store, intent, expandParam(params));
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/charges/${ID}$`),
    handler: (ctx, params, id) => {
      assertKnownParams(params, RETRIEVE);
      const charge = ctx.store.charges.get(id);
      if (!charge) throw resourceMissing("charge", id, "charge");
      return expand(ctx.store, charge, expandParam(params));
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/refunds$/,
    handler: (ctx, params) =>
      expand(ctx.store, createRefund(ctx.refunds, params, ctx.request), expandParam(params)),
  },
  {
    method: "GET",
    pattern: /^\/v1\/refunds$/,
    handler: (ctx, params) => {
      refuseFilters(params, ["created"]);
      assertKnownParams(params, [...LIST, "payment_intent", "charge"]);
      const intent = optionalString(params, "payment_intent");
      const charge = optionalString(params, "charge");
      const refunds = newestFirst(ctx.store.refunds).filter(
        (refund) =>
          (intent === undefined || refund.payment_intent === intent) &&
          (charge === undefined || refund.charge === charge),
      );
      return expandList(ctx.store, paginate(refunds, "/v1/refunds", params), expandParam(params));
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/refunds/${ID}$`),
    handler: (ctx, params, id) => {
      assertKnownParams(params, RETRIEVE);
      return expand(ctx.store, getRefund(ctx.store, id), expandParam(params));
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/events$/,
    handler: (ctx, params) => {
      refuseFilters(params, ["types", "created", "delivery_success"]);
      assertKnownParams(params, [...LIST, "type"]);
      const type = optionalString(params, "type");
      const events = ctx.webhooks.apiEvents().filter((event) => type === undefined || event.type === type);
      return paginate(events, "/v1/events", params);
    },
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/events/${ID}$`),
    handler: (ctx, params, id) => {
      assertKnownParams(params, RETRIEVE);
      const event = ctx.webhooks.apiEvent(id);
      if (!event) throw resourceMissing("event", id, "id");
      return event;
    },
  },
];

export function handleApi(ctx: ApiContext, method: string, path: string, params: Params): unknown {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return route.handler(ctx, params, decodeURIComponent(match[1] ?? ""));
  }
  throw unrecognizedUrl(method, path);
}
