// Test-only control API under /_emulator/ (no auth, JSON). Not part of any operator's API: it moves
// the clock, injects faults, plays the operator's own changes and shows what was called and booked,
// without going through the public API (which would count calls and meet the rate limit).
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { CallLog } from "./api";
import { bookingView, expireDue } from "./bookings";
import { OperatorError } from "./errors";
import type { FareKey } from "./fares";
import type { Faults } from "./faults";
import { parseJsonObject, readBody } from "./http-util";
import { isValidIsoDate } from "./network";
import {
  cancelSailing,
  type FareChangeInput,
  moveSailing,
  setAvailability,
  setFare,
} from "./operator-actions";
import { type Ctx, requireSailing } from "./sailings";
import { accommodations, type Operation, operations, passengerTypes, resources, vehicleTypes } from "./types";
import type { WebhookPusher } from "./webhooks";

export interface ControlEnv {
  ctx: Ctx;
  faults: Faults;
  calls: CallLog;
  pusher: WebhookPusher;
  reset: () => void;
}

export interface ControlResponse {
  status: number;
  body: unknown;
}

const ALIASES: Record<string, Operation> = {
  routes: "GetRoutes",
  timetables: "GetTimeTables",
  sailings: "GetSailings",
  services: "GetServices",
  price: "GetPrice",
  book: "Book",
  confirm: "ConfirmBooking",
  recall: "RecallBooking",
  "cancel-charge": "GetCancelCharge",
  cancel: "CancelBooking",
  changes: "GetChanges",
};
const operation = z.string().transform((name, issue) => {
  if (name === "*") return "*" as const;
  const op = ALIASES[name] ?? (operations as readonly string[]).find((o) => o === name);
  if (!op) {
    issue.addIssue({
      code: "custom",
      message: `operation must be "*", an operation name or one of ${Object.keys(ALIASES).join(", ")}.`,
    });
    return z.NEVER;
  }
  return op as Operation;
});
const seconds = z.number().min(0).max(86_400);
const date = z.string().refine(isValidIsoDate, "Give a date written like 2026-12-04.");
const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "Give an ISO 8601 instant.");
const amount = z.number().int().min(0).max(10_000_000);
const resourceList = z.array(z.enum(resources)).min(1).optional();

const schemas = {
  latency: z
    .strictObject({
      minMs: z.number().int().min(0).max(120_000),
      maxMs: z.number().int().min(0).max(120_000),
    })
    .refine((l) => l.minMs <= l.maxMs, "minMs must not exceed maxMs."),
  hang: z.strictObject({ seconds, operation: operation.default("*") }),
  down: z.strictObject({ seconds }),
  failNext: z.strictObject({
    operation: operation.default("*"),
    count: z.number().int().min(1).max(10_000).default(1),
    status: z
      .union([
        z.literal(429),
        z.literal(500),
        z.literal(502),
        z.literal(503),
        z.literal(504),
        z.literal("drop"),
      ])
      .default(500),
    phase: z.enum(["before", "after"]).default("before"),
  }),
  cancelSailing: z.strictObject({
    sailingId: z.string(),
    reason: z.string().max(200).default("Operational reasons"),
  }),
  moveSailing: z
    .strictObject({
      sailingId: z.string(),
      departureAt: instant.optional(),
      shiftMinutes: z.number().int().optional(),
    })
    .refine(
      (m) => (m.departureAt === undefined) !== (m.shiftMinutes === undefined),
      "Give departureAt or shiftMinutes.",
    ),
  soldOut: z.strictObject({ sailingId: z.string(), resources: resourceList }),
  availability: z.strictObject({
    sailingId: z.string(),
    resources: resourceList,
    free: z.number().int().min(0),
  }),
  setFare: z
    .strictObject({
      sailingId: z.string().optional(),
      from: z.string().optional(),
      to: z.string().optional(),
      fromDate: date.optional(),
      toDate: date.optional(),
      base: amount.min(100).optional(),
      fare: z
        .discriminatedUnion("kind", [
          z.strictObject({
            kind: z.literal("passenger"),
            accommodation: z.enum(accommodations),
            passengerType: z.enum(passengerTypes),
            amount,
          }),
          z.strictObject({ kind: z.literal("vehicle"), vehicleType: z.enum(vehicleTypes), amount }),
          z.strictObject({ kind: z.literal("pet"), amount }),
        ])
        .optional(),
    })
    .refine(
      (f) => (f.sailingId === undefined) !== (f.from === undefined && f.to === undefined),
      "Give sailingId, or from and to.",
    )
    .refine(
      (f) => f.sailingId === undefined || (f.fromDate === undefined && f.toDate === undefined),
      "fromDate/toDate go with from and to, not sailingId.",
    )
    .refine((f) => f.base !== undefined || f.fare !== undefined, "Give base, fare or both."),
  clock: z
    .strictObject({
      now: instant.optional(),
      advanceMinutes: z.number().optional(),
      advanceMs: z.number().optional(),
    })
    .refine(
      (c) => [c.now, c.advanceMinutes, c.advanceMs].filter((v) => v !== undefined).length === 1,
      "Give exactly one of now, advanceMinutes, advanceMs.",
    ),
  webhook: z
    .strictObject({ url: z.url().optional(), secret: z.string().min(1).optional() })
    .refine(
      (w) => (w.url === undefined) === (w.secret === undefined),
      "Give url and secret together (or neither, to stop pushing).",
    ),
};

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join(".");
  throw new OperatorError(400, "VALIDATION_ERROR", path ? `${path}: ${issue.message}` : issue.message);
}

function fareKey(fare: NonNullable<z.output<typeof schemas.setFare>["fare"]>): FareKey {
  if (fare.kind === "passenger") return `passenger:${fare.accommodation}:${fare.passengerType}`;
  if (fare.kind === "vehicle") return `vehicle:${fare.vehicleType}`;
  return "pet";
}

export async function handleControl(
  req: IncomingMessage,
  url: URL,
  env: ControlEnv,
): Promise<ControlResponse> {
  try {
    const body = req.method === "POST" ? parseJsonObject(await readBody(req)) : {};
    return { status: 200, body: await route(`${req.method ?? "GET"} ${url.pathname}`, body, url, env) };
  } catch (error) {
    if (error instanceof OperatorError) return { status: error.status, body: error.body() };
    throw error;
  }
}

async function route(
  endpoint: string,
  body: Record<string, unknown>,
  url: URL,
  env: ControlEnv,
): Promise<unknown> {
  const { ctx, faults } = env;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  expireDue(ctx);
  switch (endpoint) {
    case "GET /_emulator/status":
      return {
        operator: ctx.code,
        now: iso(ctx.clock.now()),
        ...faults.snapshot(),
        webhookUrl: env.pusher.getUrl(),
      };
    case "POST /_emulator/latency": {
      const latency = parse(schemas.latency, body);
      faults.setLatency(latency.maxMs === 0 ? null : latency);
      return { latency: faults.getLatency() };
    }
    case "POST /_emulator/hang": {
      const hang = parse(schemas.hang, body);
      return { hangUntil: iso(faults.startHang(hang.seconds, hang.operation)) };
    }
    case "POST /_emulator/down":
      return { downUntil: iso(faults.down(parse(schemas.down, body).seconds)) };
    case "POST /_emulator/fail-next": {
      const failure = parse(schemas.failNext, body);
      faults.failNext(failure);
      return { failNext: faults.pending() };
    }
    case "POST /_emulator/cancel-sailing": {
      const input = parse(schemas.cancelSailing, body);
      return { changes: cancelSailing(ctx, input.sailingId, input.reason) };
    }
    case "POST /_emulator/move-sailing": {
      const input = parse(schemas.moveSailing, body);
      const departure =
        input.departureAt !== undefined
          ? Date.parse(input.departureAt)
          : requireSailing(ctx, input.sailingId).departureMs + (input.shiftMinutes ?? 0) * 60_000;
      return { change: moveSailing(ctx, input.sailingId, departure) };
    }
    case "POST /_emulator/set-fare": {
      const { fare, ...rest } = parse(schemas.setFare, body);
      const input: FareChangeInput = {
        ...rest,
        fare: fare ? { key: fareKey(fare), amount: fare.amount } : undefined,
      };
      return { change: setFare(ctx, input) };
    }
    case "POST /_emulator/sold-out": {
      const input = parse(schemas.soldOut, body);
      return { availability: setAvailability(ctx, input.sailingId, input.resources, 0) };
    }
    case "POST /_emulator/availability": {
      const input = parse(schemas.availability, body);
      return { availability: setAvailability(ctx, input.sailingId, input.resources, input.free) };
    }
    case "GET /_emulator/clock":
      return { now: iso(ctx.clock.now()), offsetMs: ctx.clock.offset() };
    case "POST /_emulator/clock": {
      const input = parse(schemas.clock, body);
      if (input.now !== undefined) ctx.clock.set(Date.parse(input.now));
      else ctx.clock.advance(input.advanceMs ?? (input.advanceMinutes ?? 0) * 60_000);
      expireDue(ctx);
      return { now: iso(ctx.clock.now()), offsetMs: ctx.clock.offset() };
    }
    case "GET /_emulator/calls":
      return env.calls.summary();
    case "GET /_emulator/bookings":
      return {
        bookings: [...ctx.store.bookings.values()].map((b) => ({
          ...bookingView(ctx, b),
          passengers: b.passengers,
          vehicle: b.vehicle,
        })),
      };
    case "GET /_emulator/inventory": {
      const sailing = requireSailing(ctx, url.searchParams.get("sailingId") ?? "");
      return { sailingId: sailing.planned.id, inventory: structuredClone(sailing.state.inventory) };
    }
    case "GET /_emulator/changes":
      return { changes: ctx.feed.all() };
    case "GET /_emulator/webhooks":
      return { url: env.pusher.getUrl(), deliveries: env.pusher.views() };
    case "POST /_emulator/webhook": {
      const input = parse(schemas.webhook, body);
      env.pusher.setTarget(input.url && input.secret ? { url: input.url, secret: input.secret } : null);
      return { url: env.pusher.getUrl() };
    }
    case "POST /_emulator/reset":
      env.reset();
      return { ok: true };
    default:
      throw new OperatorError(404, "NOT_FOUND", `Unknown control endpoint ${endpoint}.`);
  }
}
