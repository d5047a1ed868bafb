import { z } from "zod";
import type { LegDirection } from "@/server/db/schema/bookings";
import { decodeJson, encodeJson, mac, macMatches } from "./signing";

/**
 * The content of one boarding QR code: one per passenger and leg.
 *
 * Format `TRV1.<base64url JSON>.<base64url HMAC>`: a port scanner holding the key verifies it offline
 * (no network on the quay), then sees which booking, passenger and sailing it is for. Only ids and the
 * booking reference are inside — no names or document numbers, because a QR code is readable by anyone
 * who photographs it. The online check-in adds the name and records the scan.
 */
export const QR_PREFIX = "TRV1";

export interface TicketClaims {
  /** Booking reference, shown by an offline scanner. */
  ref: string;
  passengerId: number;
  direction: LegDirection;
  sailingId: number;
}

const wire = z.object({
  r: z.string().regex(/^TRV-[0-9A-Z]{8,}$/),
  p: z.number().int().positive(),
  d: z.enum(["O", "R"]),
  s: z.number().int().positive(),
});

export function signTicketCode(claims: TicketClaims, key?: string): string {
  // Short field names: every character saved keeps the QR code one version smaller and easier to scan.
  const payload = encodeJson({
    r: claims.ref,
    p: claims.passengerId,
    d: claims.direction === "OUTBOUND" ? "O" : "R",
    s: claims.sailingId,
  });
  const body = `${QR_PREFIX}.${payload}`;
  return `${body}.${mac("qr", body, key)}`;
}

export type VerifyResult =
  | { ok: true; claims: TicketClaims }
  | { ok: false; reason: "malformed" | "bad_signature" };

/** Offline verification: needs only the key, never the database. */
export function verifyTicketCode(code: string, key?: string): VerifyResult {
  const trimmed = code.trim();
  if (trimmed.length > 512) return { ok: false, reason: "malformed" };
  const parts = trimmed.split(".");
  if (parts.length !== 3 || parts[0] !== QR_PREFIX) return { ok: false, reason: "malformed" };
  const [prefix, payload, tag] = parts as [string, string, string];
  // The MAC is checked before the payload is parsed: nothing an attacker wrote is interpreted unsigned.
  if (!macMatches("qr", `${prefix}.${payload}`, tag, key)) return { ok: false, reason: "bad_signature" };
  const parsed = wire.safeParse(decodeJson(payload));
  if (!parsed.success) return { ok: false, reason: "malformed" };
  const { r, p, d, s } = parsed.data;
  return {
    ok: true,
    claims: { ref: r, passengerId: p, direction: d === "O" ? "OUTBOUND" : "RETURN", sailingId: s },
  };
}
