// Signing of the operator's push notifications, shared by the emulator (which signs) and Traverse's
// webhook route (which verifies). Dependency-free apart from node:crypto, so the app may import it.
//
// Header: `X-Operator-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
// Several v1 entries may appear (secret rotation): one matching is enough. A timestamp further than
// the tolerance from the verifier's clock, in either direction, is refused, so a captured request
// cannot be replayed later.
import { createHmac, timingSafeEqual } from "node:crypto";

export const OPERATOR_SIGNATURE_HEADER = "x-operator-signature";
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

export function operatorSignature(payload: string, secret: string, timestampSeconds: number): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.${payload}`, "utf8").digest("hex");
}

/** The header value for a payload signed now (or at `timestampSeconds`). */
export function signOperatorPayload(
  payload: string,
  secret: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): string {
  return `t=${timestampSeconds},v1=${operatorSignature(payload, secret, timestampSeconds)}`;
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" };

export interface VerifyOptions {
  toleranceSeconds?: number;
  /** The verifier's clock in epoch milliseconds (default Date.now()). */
  nowMs?: number;
}

/**
 * Checks a push against its raw body (exactly the bytes received, before any JSON parsing).
 * Never throws; `reason` says why it failed, so the route can answer 400 and log only that word.
 */
export function verifyOperatorSignature(
  payload: string,
  header: string | null | undefined,
  secret: string,
  options: VerifyOptions = {},
): SignatureCheck {
  if (!header) return { ok: false, reason: "missing" };
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === "t" && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: "malformed" };
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) return { ok: false, reason: "stale" };
  const expected = Buffer.from(operatorSignature(payload, secret, timestamp), "hex");
  const matches = signatures.some((candidate) => timingSafeEqual(Buffer.from(candidate, "hex"), expected));
  return matches ? { ok: true, timestamp } : { ok: false, reason: "mismatch" };
}
