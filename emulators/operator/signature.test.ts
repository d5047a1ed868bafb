// The push signature scheme, pinned to a vector computed outside this code (openssl dgst -hmac), so
// a change to the scheme cannot pass by changing signer and verifier together.
import { describe, expect, it } from "vitest";
import { signOperatorPayload, verifyOperatorSignature } from "./signature";

const payload = '{"id":"GNV-CHG-1"}';
const secret = "op_secret_test";
const t = 1_700_000_000;
const VECTOR = "4a100c80a27f2db56326bfe0b571a1b9f8cc7fc86895091aecabd8e4ed7a710d";
const at = (seconds: number) => ({ nowMs: seconds * 1000 });

describe("operator push signatures", () => {
  it("signs t.body with HMAC-SHA256 in the documented header format", () => {
    expect(signOperatorPayload(payload, secret, t)).toBe(`t=${t},v1=${VECTOR}`);
  });

  it("accepts a good signature within the tolerance, either side of the clock", () => {
    const header = `t=${t},v1=${VECTOR}`;
    expect(verifyOperatorSignature(payload, header, secret, at(t))).toEqual({ ok: true, timestamp: t });
    expect(verifyOperatorSignature(payload, header, secret, at(t + 300))).toEqual({ ok: true, timestamp: t });
    expect(verifyOperatorSignature(payload, header, secret, at(t - 300))).toEqual({ ok: true, timestamp: t });
  });

  it("refuses a stale or future timestamp, even with a valid signature", () => {
    const header = `t=${t},v1=${VECTOR}`;
    expect(verifyOperatorSignature(payload, header, secret, at(t + 301))).toEqual({
      ok: false,
      reason: "stale",
    });
    expect(verifyOperatorSignature(payload, header, secret, at(t - 301))).toEqual({
      ok: false,
      reason: "stale",
    });
    expect(
      verifyOperatorSignature(payload, header, secret, { nowMs: (t + 30) * 1000, toleranceSeconds: 10 }),
    ).toEqual({
      ok: false,
      reason: "stale",
    });
  });

  it("refuses a changed body, another secret, or a replayed signature under a new timestamp", () => {
    expect(verifyOperatorSignature(`${payload} `, `t=${t},v1=${VECTOR}`, secret, at(t))).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(verifyOperatorSignature(payload, `t=${t},v1=${VECTOR}`, "other", at(t))).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(verifyOperatorSignature(payload, `t=${t + 1},v1=${VECTOR}`, secret, at(t))).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("accepts any one matching v1 (secret rotation), and names missing or malformed headers", () => {
    const rotated = `t=${t},v1=${"0".repeat(64)},v1=${VECTOR}`;
    expect(verifyOperatorSignature(payload, rotated, secret, at(t)).ok).toBe(true);
    expect(verifyOperatorSignature(payload, undefined, secret, at(t))).toEqual({
      ok: false,
      reason: "missing",
    });
    expect(verifyOperatorSignature(payload, "", secret, at(t))).toEqual({ ok: false, reason: "missing" });
    for (const header of [`t=abc,v1=${VECTOR}`, `v1=${VECTOR}`, `t=${t}`, `t=${t},v1=xyz`, "garbage"]) {
      expect(verifyOperatorSignature(payload, header, secret, at(t)), header).toEqual({
        ok: false,
        reason: "malformed",
      });
    }
  });
});
