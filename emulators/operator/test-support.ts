// Shared by the operator emulator's tests: a started emulator on a frozen clock with latency and the
// rate limit off (tests that exercise those turn them on), and thin fetch helpers that keep the
// HTTP status and headers visible.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { standIn } from "../shared/stand-in";
import { type OperatorEmulator, type OperatorEmulatorOptions, startOperatorEmulator } from "./server";
import type { BookingResponse, BookRequest, GetPriceResponse, OperatorErrorBody } from "./types";

export const KEY = "test-key";
/** A Tuesday; Tunis is UTC+1 all year. GNV TUN→GOA sails Tue/Thu/Sun 20:00 local. */
export const T0 = Date.parse("2026-12-01T08:00:00Z");
/** 9 days ahead of T0: Thursday 2026-12-10 20:00 Tunis = 19:00Z. */
export const SAILING = "GNV-TUNGOA-20261210-2000";
export const SAILING_DEPARTS = Date.parse("2026-12-10T19:00:00Z");
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function startTestEmulator(options: Partial<OperatorEmulatorOptions> = {}): Promise<OperatorEmulator> {
  return startOperatorEmulator({ code: "GNV", latency: null, rateLimit: null, now: () => T0, ...options });
}

/** This file's emulator: started before its tests, reset before each, closed after them. */
export function emulatorForFile(options: Partial<OperatorEmulatorOptions> = {}): OperatorEmulator {
  let emu: OperatorEmulator | undefined;
  beforeAll(async () => {
    emu = await startTestEmulator(options);
  });
  afterAll(() => emu?.close());
  beforeEach(() => emu?.reset());
  return standIn(() => emu, "The operator emulator");
}

export interface Reply<T> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = unknown>(
  emu: OperatorEmulator,
  operation: string,
  body: unknown = {},
  key: string | null = KEY,
): Promise<Reply<T>> {
  const response = await fetch(`${emu.url}/ferrygateway/v1/${operation}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

export async function getChanges<T = unknown>(
  emu: OperatorEmulator,
  query = "",
  key = KEY,
): Promise<Reply<T>> {
  const response = await fetch(`${emu.url}/ferrygateway/v1/changes${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

export async function control<T = unknown>(
  emu: OperatorEmulator,
  path: string,
  body?: unknown,
): Promise<Reply<T>> {
  const response = await fetch(`${emu.url}/_emulator/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

export function errorOf(reply: Reply<unknown>): OperatorErrorBody["error"] {
  return (reply.body as OperatorErrorBody).error;
}

export const passengers: BookRequest["passengers"] = [
  {
    type: "adult",
    firstName: "Amira",
    lastName: "Ben Salah",
    dateOfBirth: "1988-04-02",
    nationality: "tn",
    documentNumber: "x1234567",
  },
  { type: "adult", firstName: "Karim", lastName: "Ben Salah" },
  { type: "child", firstName: "Yasmine", lastName: "Ben Salah", dateOfBirth: "2018-06-15" },
];

/** Prices a selection, then books it with that quote. */
export async function quoteAndBook(
  emu: OperatorEmulator,
  agentReference: string,
  overrides: Partial<BookRequest> = {},
): Promise<Reply<BookingResponse>> {
  const selection = {
    sailingId: overrides.sailingId ?? SAILING,
    accommodation: overrides.accommodation ?? "DECK",
    vehicle: overrides.vehicle ? { type: overrides.vehicle.type } : undefined,
    pets: overrides.pets ?? 0,
  };
  const party = overrides.passengers ?? passengers;
  const count = (type: string) => party.filter((p) => p.type === type).length;
  const quote = await call<GetPriceResponse>(emu, "GetPrice", {
    ...selection,
    passengers: { adults: count("adult"), children: count("child"), infants: count("infant") },
  });
  if (quote.status !== 200)
    throw new Error(`GetPrice answered ${quote.status}: ${JSON.stringify(quote.body)}`);
  return call<BookingResponse>(emu, "Book", {
    agentReference,
    passengers: party,
    quoteId: quote.body.quoteId,
    expectedTotal: quote.body.total,
    ...selection,
    ...overrides,
  });
}

/** Free units of every resource on a sailing, read through the control-free public API. */
export async function freeOn(emu: OperatorEmulator, sailingId = SAILING): Promise<Record<string, number>> {
  const reply = await call<{
    passengers: { free: number };
    accommodations: { accommodation: string; free: number }[];
    vehicleDeck: { freeUnits: number };
    pets: { freeKennels: number };
  }>(emu, "GetServices", { sailingId });
  const out: Record<string, number> = { PASSENGER: reply.body.passengers.free };
  for (const a of reply.body.accommodations) out[a.accommodation] = a.free;
  out.VEHICLE = reply.body.vehicleDeck.freeUnits;
  out.KENNEL = reply.body.pets.freeKennels;
  return out;
}

/** Polls until `check` returns a value; throws at the deadline so a test can never pass by waiting. */
export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waitFor timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
