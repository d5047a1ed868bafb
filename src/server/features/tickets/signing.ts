import { createHmac, timingSafeEqual } from "node:crypto";
import { ticketSigningKey } from "@/env";

/**
 * HMAC-SHA256 signing for everything a traveller carries: QR codes and ticket links. Each purpose gets
 * its own key derived from TICKET_SIGNING_KEY, so a valid ticket link can never be replayed as a
 * boarding QR code (or the other way round) even though both are `payload.mac` strings.
 */
export type SigningPurpose = "qr" | "ticket-link";

/** 128-bit tags: far beyond brute force for a scanner, and keeps the QR code small (a lower version). */
const MAC_BYTES = 16;

function purposeKey(purpose: SigningPurpose, key: string): Buffer {
  return createHmac("sha256", key).update(`traverse:${purpose}:v1`).digest();
}

export function mac(purpose: SigningPurpose, data: string, key = ticketSigningKey()): string {
  return createHmac("sha256", purposeKey(purpose, key))
    .update(data)
    .digest()
    .subarray(0, MAC_BYTES)
    .toString("base64url");
}

export function macMatches(
  purpose: SigningPurpose,
  data: string,
  tag: string,
  key = ticketSigningKey(),
): boolean {
  const expected = Buffer.from(mac(purpose, data, key), "base64url");
  const given = Buffer.from(tag, "base64url");
  // Length first: timingSafeEqual throws on different lengths.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export function decodeJson(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}
