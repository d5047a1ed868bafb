import { describe, expect, it } from "vitest";
import { parseLegParam, parseSailingId, sailingIdFromKey } from "@/shared/sailing-id";

describe("sailing ids", () => {
  it("own ids are positive integers, connected ids are '<operator>:<its id>'", () => {
    expect(parseSailingId(42)).toEqual({ source: "own", id: 42 });
    expect(parseSailingId(0)).toBeNull();
    expect(parseSailingId("GNV:GNV-TUNGOA-20261210-2000")).toEqual({
      source: "connected",
      operator: "GNV",
      operatorSailingId: "GNV-TUNGOA-20261210-2000",
    });
    expect(parseSailingId("gnv:x")).toBeNull();
    expect(sailingIdFromKey("42")).toBe(42);
    expect(sailingIdFromKey("042")).toBeNull();
  });

  it("a booking link's leg keeps a connected id's colon and takes the class after the last one", () => {
    expect(parseLegParam("123:SEAT")).toEqual({ sailingId: 123, accommodation: "SEAT" });
    expect(parseLegParam("GNV:GNV-TUNGOA-20261210-2000:DECK")).toEqual({
      sailingId: "GNV:GNV-TUNGOA-20261210-2000",
      accommodation: "DECK",
    });
    expect(parseLegParam("123")).toBeNull();
    expect(parseLegParam(":DECK")).toBeNull();
    expect(parseLegParam("GNV:DECK")).toBeNull();
    expect(parseLegParam("123:deck")).toBeNull();
  });
});
