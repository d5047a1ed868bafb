import type { OperatorEmulator } from "../../emulators/operator/server";
import { beforeAll } from "vitest";
import { control, emulatorForFile, KEY, passengers, SAILING } from "../../emulators/operator/test-support";
import { standIn } from "../../emulators/shared/stand-in";
import type { HoldRequest, OperatorConnector, Quote } from "../../src/server/features/operators/connector";
import { createFerryGatewayJsonConnector } from "../../src/server/features/operators/ferrygateway-json";
import { OperatorError } from "../../src/server/features/operators/operator-error";

/**
 * Shared by the connector tests: the real operator emulator (emulators/operator/test-support.ts starts it
 * on a frozen clock at T0 with latency and the rate limit off), the FerryGateway JSON connector pointed
 * at it, and small readers of the emulator's control API.
 */

export { KEY, SAILING };
/** The party of emulators/operator/test-support.ts: two adults and a child, travelling with a car. */
export const PARTY = { adults: 2, children: 1, infants: 0, vehicle: "car" as const, pets: 0 };
/** The emulator's fare for PARTY on DECK: 2 × 15900 + 9500 (child) + 23100 (car), in EUR cents. */
export const DECK_TOTAL = 64_400;
/** Personal data of the test party: none of it may appear in an error, a log line or a stored error. */
export const PERSONAL = ["Amira", "Ben Salah", "Karim", "Yasmine", "X1234567", "1988-04-02", "123 TU 4567"];

export function connectorFor(
  emu: { url: string; code?: string },
  overrides: { apiKey?: string; timeoutMs?: number; code?: string } = {},
): OperatorConnector {
  return createFerryGatewayJsonConnector({
    code: overrides.code ?? emu.code ?? "GNV",
    baseUrl: emu.url,
    apiKey: overrides.apiKey ?? KEY,
    timeoutMs: overrides.timeoutMs ?? 2_000,
  });
}

/** This file's emulator (see `emulatorForFile`) and a GNV connector pointed at it. */
export function gnvForFile(): { emu: OperatorEmulator; gnv: OperatorConnector } {
  const emu = emulatorForFile();
  let gnv: OperatorConnector | undefined;
  beforeAll(() => {
    gnv = connectorFor(emu);
  });
  return { emu, gnv: standIn(() => gnv, "The GNV connector") };
}

export function holdRequest(
  agentReference: string,
  quote?: Quote,
  extra: Partial<HoldRequest> = {},
): HoldRequest {
  return {
    agentReference,
    sailingRef: SAILING,
    accommodation: "DECK",
    passengers: passengers.map((p) => ({ ...p })),
    vehicle: { type: "car", registration: "123 TU 4567", heightCm: 150, lengthCm: 430 },
    pets: 0,
    ...(quote ? { quoteId: quote.quoteId } : {}),
    expectedTotal: quote ? quote.total : { amount: DECK_TOTAL, currency: "EUR" },
    ...extra,
  };
}

export async function quoteFor(
  connector: OperatorConnector,
  accommodation: HoldRequest["accommodation"] = "DECK",
) {
  return connector.price({ sailingRef: SAILING, accommodation, party: PARTY });
}

interface Counts {
  capacity: number;
  presold: number;
  held: number;
  sold: number;
  blocked: number;
}

/** Held and sold units per resource of a sailing, as the emulator keeps them. */
export async function inventoryOf(
  emu: OperatorEmulator,
  sailingId = SAILING,
): Promise<Record<string, Counts>> {
  const reply = await control<{ inventory: Record<string, Counts> }>(
    emu,
    `inventory?sailingId=${encodeURIComponent(sailingId)}`,
  );
  if (reply.status !== 200) throw new Error(`inventory answered ${reply.status}`);
  return reply.body.inventory;
}

/** The error a call throws; fails the test when it does not throw an OperatorError. */
export async function failure(call: Promise<unknown>): Promise<OperatorError> {
  try {
    await call;
  } catch (e) {
    if (e instanceof OperatorError) return e;
    throw new Error(`expected an OperatorError, got ${String(e)}`);
  }
  throw new Error("expected the call to fail, and it answered");
}

/** Everything an error could leak through: message, stack, own properties and a log line of it. */
export function everythingIn(e: Error): string {
  return [e.message, e.stack ?? "", JSON.stringify(e), JSON.stringify(Object.entries(e))].join("\n");
}
