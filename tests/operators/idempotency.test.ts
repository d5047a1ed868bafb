import { describe, expect, it } from "vitest";
import { control } from "../../emulators/operator/test-support";
import { gnvForFile, failure, holdRequest, inventoryOf, quoteFor } from "./support";

// The agent reference makes hold, confirm and cancel safe to repeat: a caller that lost an answer can
// ask again (or recall) and never takes places twice or releases them twice.

const { emu, gnv } = gnvForFile();

describe("idempotent by agent reference", () => {
  it("the same hold twice answers the same booking and holds the places once", async () => {
    const before = await inventoryOf(emu);
    const q = await quoteFor(gnv);
    const first = await gnv.hold(holdRequest("TRV-IDEM0001-OUT", q));
    const second = await gnv.hold(holdRequest("TRV-IDEM0001-OUT", q));
    expect(second.operatorReference).toBe(first.operatorReference);
    expect(second.createdAt).toEqual(first.createdAt);
    expect((await inventoryOf(emu)).DECK!.held - before.DECK!.held).toBe(3);
    expect(emu.calls().operations.Book).toBe(2);
  });

  it("the same agent reference with other content is refused, naming the booking it already holds", async () => {
    const first = await gnv.hold(holdRequest("TRV-IDEM0002-OUT"));
    const e = await failure(gnv.hold(holdRequest("TRV-IDEM0002-OUT", undefined, { pets: 1 })));
    expect(e).toMatchObject({ kind: "refused", code: "IDEMPOTENCY_CONFLICT" });
    expect(e.operatorReference).toBe(first.operatorReference);
  });

  it("confirm and cancel repeated answer the recorded result; places move once", async () => {
    const before = await inventoryOf(emu);
    await gnv.hold(holdRequest("TRV-IDEM0003-OUT"));
    const confirmed = await gnv.confirm({ agentReference: "TRV-IDEM0003-OUT" });
    const again = await gnv.confirm({ agentReference: "TRV-IDEM0003-OUT" });
    expect(again.status).toBe("CONFIRMED");
    expect(again.confirmedAt).toEqual(confirmed.confirmedAt);
    expect((await inventoryOf(emu)).DECK!.sold - before.DECK!.sold).toBe(3);

    const cancelled = await gnv.cancel({ agentReference: "TRV-IDEM0003-OUT" });
    const repeated = await gnv.cancel({ operatorReference: confirmed.operatorReference });
    expect(repeated.booking.status).toBe("CANCELLED");
    expect(repeated.booking.cancellation).toEqual(cancelled.booking.cancellation);
    expect(repeated.refund).toEqual(cancelled.refund);
    const after = await inventoryOf(emu);
    expect(after.DECK).toEqual(before.DECK);
    expect(after.PASSENGER).toEqual(before.PASSENGER);
  });
});

describe("a hold whose answer was lost", () => {
  for (const status of [500, "drop"] as const) {
    it(`is found by recall after the answer failed (${status} after the booking was made)`, async () => {
      const before = await inventoryOf(emu);
      await control(emu, "fail-next", { operation: "Book", status, phase: "after" });
      const e = await failure(gnv.hold(holdRequest("TRV-LOST0001-OUT")));
      expect(e.kind).toBe("unavailable");

      const found = await gnv.recall({ agentReference: "TRV-LOST0001-OUT" });
      expect(found.status).toBe("PROVISIONAL");
      expect(found.agentReference).toBe("TRV-LOST0001-OUT");
      expect((await inventoryOf(emu)).DECK!.held - before.DECK!.held).toBe(3);

      // Holding again instead is just as safe: the same booking, nothing taken twice.
      const retried = await gnv.hold(holdRequest("TRV-LOST0001-OUT"));
      expect(retried.operatorReference).toBe(found.operatorReference);
      expect((await inventoryOf(emu)).DECK!.held - before.DECK!.held).toBe(3);
    });
  }

  it("a hold that failed before it took effect leaves nothing to recall", async () => {
    await control(emu, "fail-next", { operation: "Book", status: 503, phase: "before" });
    expect((await failure(gnv.hold(holdRequest("TRV-LOST0002-OUT")))).kind).toBe("unavailable");
    const e = await failure(gnv.recall({ agentReference: "TRV-LOST0002-OUT" }));
    expect(e).toMatchObject({ kind: "refused", code: "BOOKING_NOT_FOUND" });
  });
});
