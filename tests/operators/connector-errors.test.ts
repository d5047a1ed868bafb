import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OperatorEmulator } from "../../emulators/operator/server";
import { control, startTestEmulator } from "../../emulators/operator/test-support";
import type { OperatorConnector } from "../../src/server/features/operators/connector";
import { parseRetryAfter } from "../../src/server/features/operators/ferrygateway-json";
import { describeError } from "../../src/server/lib/describe-error";
import {
  connectorFor,
  DECK_TOTAL,
  everythingIn,
  failure,
  holdRequest,
  inventoryOf,
  KEY,
  PARTY,
  PERSONAL,
  quoteFor,
  SAILING,
} from "./support";

// Every way a call can fail, each mapped to one OperatorError kind the caller can act on, and none of
// them carrying the passengers' details.

let emu: OperatorEmulator;
let gnv: OperatorConnector;

beforeAll(async () => {
  emu = await startTestEmulator({ apiKey: KEY });
  gnv = connectorFor(emu);
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const tunGoa = { from: "TUN", to: "GOA" };

describe("refusals: the operator answered no", () => {
  it("a wrong API key is refused UNAUTHORIZED (401)", async () => {
    const e = await failure(connectorFor(emu, { apiKey: "not-the-key" }).routes());
    expect(e).toMatchObject({ kind: "refused", code: "UNAUTHORIZED", status: 401, operation: "routes" });
    expect(e.operatorCode).toBe("GNV");
    expect(e.message).not.toContain("not-the-key");
  });

  it("sold out is refused SOLD_OUT with what did not fit, and nothing is held", async () => {
    await control(emu, "sold-out", { sailingId: SAILING, resources: ["DECK"] });
    const before = await inventoryOf(emu);
    const e = await failure(gnv.hold(holdRequest("TRV-SOLDOUT1-OUT")));
    expect(e).toMatchObject({ kind: "refused", code: "SOLD_OUT", status: 409 });
    expect(e.soldOut).toEqual({ resource: "DECK", free: 0, needed: 3 });
    expect(await inventoryOf(emu)).toEqual(before);
  });

  it("a changed price is refused PRICE_CHANGED carrying the new quote, with which the hold then succeeds", async () => {
    const old = await quoteFor(gnv);
    await control(emu, "set-fare", { sailingId: SAILING, base: 17_900 });
    // Without the quote, the operator charges today's price, which is no longer what we expect.
    const e = await failure(
      gnv.hold(holdRequest("TRV-PRICE001-OUT", undefined, { expectedTotal: old.total })),
    );
    expect(e).toMatchObject({ kind: "refused", code: "PRICE_CHANGED" });
    const fresh = e.newQuote!;
    expect(fresh.total.currency).toBe("EUR");
    expect(fresh.total.amount).toBeGreaterThan(DECK_TOTAL);
    expect(fresh.quoteId).not.toBe(old.quoteId);
    expect(fresh.validUntil).toBeInstanceOf(Date);
    const held = await gnv.hold(holdRequest("TRV-PRICE001-OUT", fresh));
    expect(held.total).toEqual(fresh.total);
  });

  it("confirming after the provisional booking lapsed is refused BOOKING_EXPIRED", async () => {
    await gnv.hold(holdRequest("TRV-EXPIRE01-OUT"));
    emu.advanceClock(45 * 60_000);
    const e = await failure(gnv.confirm({ agentReference: "TRV-EXPIRE01-OUT" }));
    expect(e).toMatchObject({ kind: "refused", code: "BOOKING_EXPIRED", status: 409 });
    expect((await gnv.recall({ agentReference: "TRV-EXPIRE01-OUT" })).status).toBe("EXPIRED");
  });

  it("unknown bookings and sailings are refused with the operator's not-found code", async () => {
    const booking = await failure(gnv.recall({ agentReference: "TRV-NOSUCH01-OUT" }));
    expect(booking).toMatchObject({ kind: "refused", code: "BOOKING_NOT_FOUND", status: 404 });
    const sailing = await failure(
      gnv.price({ sailingRef: "GNV-TUNGOA-20261209-2000", accommodation: "DECK", party: PARTY }),
    );
    expect(sailing).toMatchObject({ kind: "refused", code: "SAILING_NOT_FOUND" });
    const route = await failure(gnv.sailings({ from: "TUN", to: "MRS" }, "2026-12-10", PARTY));
    expect(route).toMatchObject({ kind: "refused", code: "ROUTE_NOT_FOUND" });
  });

  it("a cancel whose charge moved is refused CHARGE_CHANGED with the charge as it is now", async () => {
    await gnv.hold(holdRequest("TRV-CHARGE01-OUT"));
    await gnv.confirm({ agentReference: "TRV-CHARGE01-OUT" });
    const e = await failure(
      gnv.cancel({ agentReference: "TRV-CHARGE01-OUT" }, { amount: 1, currency: "EUR" }),
    );
    expect(e).toMatchObject({ kind: "refused", code: "CHARGE_CHANGED" });
    expect(e.charge).toMatchObject({ band: "MORE_THAN_7_DAYS", percent: 10, charge: { amount: 6_440 } });
    expect((await gnv.recall({ agentReference: "TRV-CHARGE01-OUT" })).status).toBe("CONFIRMED");
  });

  it("refused VALIDATION_ERROR names the fields only: no passenger's name or document anywhere", async () => {
    const request = holdRequest("TRV-VALID001-OUT");
    request.passengers[0] = { ...request.passengers[0]!, nationality: "TUN" };
    const e = await failure(gnv.hold(request));
    expect(e).toMatchObject({ kind: "refused", code: "VALIDATION_ERROR", status: 400 });
    expect(e.fields).toContain("passengers.0.nationality");
    const text = `${everythingIn(e)}\n${describeError(e)}`;
    for (const item of PERSONAL) expect(text).not.toContain(item);
  });
});

describe("no answer: timeout, outage, rate limit", () => {
  it("a hanging operator times out within its timeout, not the hang's length", async () => {
    const slow = connectorFor(emu, { timeoutMs: 300 });
    await control(emu, "hang", { seconds: 20 });
    try {
      const started = performance.now();
      const e = await failure(slow.sailings(tunGoa, "2026-12-10", PARTY));
      const elapsed = performance.now() - started;
      expect(e).toMatchObject({ kind: "timeout", operation: "sailings" });
      expect(e.message).toContain("300 ms");
      expect(elapsed).toBeGreaterThanOrEqual(295);
      expect(elapsed).toBeLessThan(300 + 250);
    } finally {
      await control(emu, "hang", { seconds: 0 });
    }
  });

  it("a hold that times out carries nothing personal", async () => {
    await control(emu, "hang", { seconds: 20, operation: "Book" });
    try {
      const e = await failure(connectorFor(emu, { timeoutMs: 200 }).hold(holdRequest("TRV-HANG0001-OUT")));
      expect(e.kind).toBe("timeout");
      for (const item of PERSONAL) expect(everythingIn(e)).not.toContain(item);
    } finally {
      await control(emu, "hang", { seconds: 0 });
    }
  });

  it("an outage (503 + retry-after) is unavailable, with the operator's retry-after", async () => {
    await control(emu, "down", { seconds: 30 });
    try {
      const e = await failure(gnv.routes());
      expect(e).toMatchObject({ kind: "unavailable", status: 503, code: "SERVICE_UNAVAILABLE" });
      expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(29);
      expect(e.retryAfterSeconds).toBeLessThanOrEqual(30);
    } finally {
      await control(emu, "down", { seconds: 0 });
    }
  });

  it("5xx answers and a dropped connection are unavailable", async () => {
    for (const status of [500, 502, 504]) {
      await control(emu, "fail-next", { operation: "GetSailings", status });
      const e = await failure(gnv.sailings(tunGoa, "2026-12-10", PARTY));
      expect(e).toMatchObject({ kind: "unavailable", status });
    }
    await control(emu, "fail-next", { operation: "GetSailings", status: "drop" });
    const dropped = await failure(gnv.sailings(tunGoa, "2026-12-10", PARTY));
    expect(dropped.kind).toBe("unavailable");
    expect(dropped.status).toBeUndefined();
  });

  it("nobody listening is unavailable", async () => {
    const closed = await startTestEmulator();
    const url = closed.url;
    await closed.close();
    const e = await failure(connectorFor({ url }).routes());
    expect(e.kind).toBe("unavailable");
    expect(e.message).toContain("ECONNREFUSED");
  });

  it("429 is rate_limited with the operator's retry-after", async () => {
    const limited = await startTestEmulator({ rateLimit: { perSecond: 0.2, burst: 1 } });
    try {
      const c = connectorFor(limited);
      await c.routes();
      const e = await failure(c.routes());
      expect(e).toMatchObject({ kind: "rate_limited", status: 429, retryAfterSeconds: 5 });
    } finally {
      await limited.close();
    }
  });

  it("retry-after is read as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-12-01T08:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7);
    expect(parseRetryAfter("0", now)).toBe(1);
    expect(parseRetryAfter("Tue, 01 Dec 2026 08:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("answers that break the contract are bad_response, never a crash in the caller", () => {
  let fake: Server;
  let fakeUrl: string;
  let answer: (req: IncomingMessage, res: ServerResponse) => void;

  beforeAll(async () => {
    fake = createServer((req, res) => answer(req, res));
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    fake.closeAllConnections();
    await new Promise((resolve) => fake.close(resolve));
  });

  const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
    answer = (_req, res) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body);
    };
  };
  const fakeConnector = () => connectorFor({ url: fakeUrl, code: "GRM" });

  it("a 200 whose shape is wrong names the path, not the value found there", async () => {
    reply(200, JSON.stringify({ currency: "EUR", sailings: [{ sailingId: "X", departureAt: "Amira" }] }));
    const e = await failure(fakeConnector().sailings(tunGoa, "2026-12-10", PARTY));
    expect(e).toMatchObject({ kind: "bad_response", status: 200, operatorCode: "GRM" });
    expect(e.message).toContain("sailings.0");
    expect(e.message).not.toContain("Amira");
  });

  it("a body that is not JSON, an HTML error page and a redirect", async () => {
    reply(200, "<html>maintenance</html>", { "content-type": "text/html" });
    expect((await failure(fakeConnector().routes())).kind).toBe("bad_response");
    reply(409, "<html>conflict</html>", { "content-type": "text/html" });
    expect(await failure(fakeConnector().routes())).toMatchObject({ kind: "bad_response", status: 409 });
    reply(302, "", { location: "http://127.0.0.1:1/elsewhere" });
    expect(await failure(fakeConnector().routes())).toMatchObject({ kind: "bad_response", status: 302 });
  });

  it("price lines that do not add up, or a refund above the total, are not trusted", async () => {
    const q = await quoteFor(gnv);
    reply(
      200,
      JSON.stringify({ ...q, sailingId: SAILING, lines: [], validUntil: q.validUntil.toISOString() }),
    );
    const lines = await failure(
      fakeConnector().price({ sailingRef: SAILING, accommodation: "DECK", party: PARTY }),
    );
    expect(lines.kind).toBe("bad_response");

    const booked = await gnv.hold(holdRequest("TRV-REFUND01-OUT"));
    const wire = (await fetchRaw(emu.url, "RecallBooking", { agentReference: booked.agentReference })) as {
      booking: { total: { amount: number; currency: string } };
    };
    const charge = { band: "MORE_THAN_7_DAYS", percent: 0, charge: { amount: 0, currency: "EUR" } };
    reply(
      200,
      JSON.stringify({
        booking: wire.booking,
        ...charge,
        refund: { amount: wire.booking.total.amount + 1, currency: "EUR" },
      }),
    );
    const refund = await failure(fakeConnector().cancelCharge({ agentReference: booked.agentReference }));
    expect(refund.kind).toBe("bad_response");
  });

  it("a booking answered other than the one asked for (hold, recall, confirm by either reference)", async () => {
    const other = await gnv.hold(holdRequest("TRV-OTHER001-OUT"));
    const wire = await fetchRaw(emu.url, "RecallBooking", { agentReference: "TRV-OTHER001-OUT" });
    reply(201, JSON.stringify(wire));
    const held = await failure(fakeConnector().hold(holdRequest("TRV-MINE0001-OUT")));
    expect(held).toMatchObject({ kind: "bad_response", operation: "hold" });
    reply(200, JSON.stringify(wire));
    expect((await failure(fakeConnector().recall({ agentReference: "TRV-MINE0001-OUT" }))).kind).toBe(
      "bad_response",
    );
    expect((await failure(fakeConnector().confirm({ operatorReference: "GNV222222" }))).kind).toBe(
      "bad_response",
    );
    // The same answer for the booking it is: accepted (the check is not what fails above).
    expect(
      (await fakeConnector().recall({ operatorReference: other.operatorReference })).agentReference,
    ).toBe("TRV-OTHER001-OUT");
  });

  it("PRICE_CHANGED without a usable new price", async () => {
    reply(
      409,
      JSON.stringify({ error: { code: "PRICE_CHANGED", message: "x", details: { price: { total: 1 } } } }),
    );
    expect((await failure(fakeConnector().hold(holdRequest("TRV-PRICE002-OUT")))).kind).toBe("bad_response");
  });

  it("a change feed with a malformed known change; an unknown change type passes as OTHER", async () => {
    const base = {
      id: "c1",
      cursor: "k1",
      operator: "GRM",
      occurredAt: "2026-12-01T08:00:00.000Z",
      from: "TUN",
      to: "CIV",
      dates: ["2026-12-10"],
    };
    reply(
      200,
      JSON.stringify({ changes: [{ ...base, type: "SAILING_CANCELLED" }], nextCursor: "k1", hasMore: false }),
    );
    expect((await failure(fakeConnector().changes(null))).kind).toBe("bad_response");
    reply(
      200,
      JSON.stringify({
        changes: [{ ...base, type: "PORT_CLOSED", port: "TUN" }],
        nextCursor: "k1",
        hasMore: false,
      }),
    );
    const page = await fakeConnector().changes(null);
    expect(page.changes).toEqual([
      {
        id: "c1",
        cursor: "k1",
        occurredAt: new Date("2026-12-01T08:00:00.000Z"),
        from: "TUN",
        to: "CIV",
        dates: ["2026-12-10"],
        type: "OTHER",
        operatorType: "PORT_CLOSED",
      },
    ]);
  });
});

async function fetchRaw(baseUrl: string, operation: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${baseUrl}/ferrygateway/v1/${operation}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${operation} answered ${response.status}`);
  return response.json();
}
