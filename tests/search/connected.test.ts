import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { control } from "../../emulators/operator/test-support";
import { applyMarkup } from "@/server/features/operators/markup";
import { sailingQuote } from "@/server/features/search/sailing";
import { searchSailings } from "@/server/features/search/sailings";
import { type ConnectedWorld, GNV_DAY, openConnectedWorld, searchInput } from "./connected-world";

/**
 * search.sailings asks the connected operators (the emulators) beside Postgres: their sailings carry
 * string ids and Traverse's markup, each operator's answer is reported, and one that does not answer
 * in time is reported as such without holding the others back.
 */
let w: ConnectedWorld;
beforeAll(async () => {
  w = await openConnectedWorld();
});
afterAll(() => w.close());
beforeEach(async () => {
  await control(w.gnv, "reset", {});
  await control(w.grm, "reset", {});
});

describe("search across connected operators", () => {
  it("lists a connected operator's sailings with string ids, source and the markup on its price", async () => {
    const svc = await w.services();
    const res = await searchSailings(svc, searchInput());
    const connected = res.sailings.filter((s) => s.source === "connected");
    expect(connected.map((s) => s.id)).toEqual(["GNV:GNV-TUNGOA-20261210-2000"]);
    const s = connected[0]!;
    expect(s.operator).toEqual({ code: "GNV", name: "Grandi Navi Veloci" });
    expect(s.departureAt.toISOString()).toBe("2026-12-10T19:00:00.000Z");
    // The emulator's own price for two adults on deck (GetSailings), plus GNV's markup (800 bps by default).
    const offer = await fetch(`${w.gnv.url}/ferrygateway/v1/GetSailings`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer test-key" },
      body: JSON.stringify({ from: "TUN", to: "GOA", date: GNV_DAY, passengers: { adults: 2 } }),
    }).then(
      (r) =>
        r.json() as Promise<{
          sailings: { classes: { accommodation: string; price: { amount: number } }[] }[];
        }>,
    );
    const deck = offer.sailings[0]!.classes.find((c) => c.accommodation === "DECK")!.price.amount;
    expect(s.options.find((o) => o.accommodation === "DECK")!.total.amount).toBe(applyMarkup(deck, 800));
    expect(res.operators.find((o) => o.code === "GNV")).toMatchObject({ source: "connected", status: "ok" });
    for (const own of res.sailings.filter((x) => x.source === "own")) expect(typeof own.id).toBe("number");
  });

  it("answers the second identical search from the cache: status cached, no second upstream call", async () => {
    const svc = await w.services();
    await searchSailings(svc, searchInput({ date: "2026-12-13" }));
    const second = await searchSailings(svc, searchInput({ date: "2026-12-13" }));
    expect(second.operators.find((o) => o.code === "GNV")!.status).toBe("cached");
    expect(second.sailings.some((s) => s.source === "connected")).toBe(true);
    expect(await w.getSailingsCalls(w.gnv)).toBe(1);
  });

  it("reports a hung operator as timeout within its timeout, and still shows the others", async () => {
    const svc = await w.services({ timeoutMs: 400 });
    await control(w.gnv, "hang", { seconds: 5 });
    const t0 = performance.now();
    const res = await searchSailings(svc, searchInput({ date: "2026-12-15" }));
    const ms = performance.now() - t0;
    expect(res.operators.find((o) => o.code === "GNV")!.status).toBe("timeout");
    expect(ms).toBeLessThan(400 + 400);
    expect(res.sailings.every((s) => s.source === "own")).toBe(true);
    await control(w.gnv, "hang", { seconds: 0 });
  });

  it("reports an operator that is down as unavailable", async () => {
    const svc = await w.services();
    await control(w.gnv, "down", { seconds: 5 });
    const res = await searchSailings(svc, searchInput({ date: "2026-12-17" }));
    expect(res.operators.find((o) => o.code === "GNV")!.status).toBe("unavailable");
    await control(w.gnv, "down", { seconds: 0 });
  });

  it("search.sailing finds a connected sailing by the id search handed out", async () => {
    const svc = await w.services();
    const listed = (await searchSailings(svc, searchInput())).sailings.find((s) => s.source === "connected")!;
    const one = await sailingQuote(svc, {
      id: listed.id,
      passengers: { adults: 2, children: 0, infants: 0 },
      pets: 0,
    });
    expect(one.sailing?.id).toBe(listed.id);
    expect(one.route).toMatchObject({ from: "TUN", to: "GOA", date: GNV_DAY });
    await expect(
      sailingQuote(svc, {
        id: "GNV:GNV-TUNGOA-20261211-2000",
        passengers: { adults: 1, children: 0, infants: 0 },
        pets: 0,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
