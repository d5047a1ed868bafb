import { z } from "zod";
import { appUrl } from "@/env";
import type { Locale } from "@/server/db/schema/bookings";
import { decodeJson, encodeJson, mac, macMatches } from "./signing";

/**
 * The e-ticket link in emails and on the manage-booking page carries a signed `{bookingId, exp}` token,
 * not the reference: a reference alone is typed on phones and read out at counters, so it must not be
 * enough to open a document with every passenger's name on it.
 */
const wire = z.object({ b: z.uuid(), e: z.number().int().positive() });

/** Tickets stay viewable for a while after the last arrival (receipts, claims). */
export const TICKET_LINK_GRACE_DAYS = 30;

/**
 * The expiry is derived from the itinerary, never from "now": the confirmation email must render the same
 * bytes on every retry, or Resend's idempotency check would reject the retry as a different request.
 */
export function ticketLinkExpiry(lastArrival: Date): number {
  return Math.floor(lastArrival.getTime() / 1000) + TICKET_LINK_GRACE_DAYS * 86_400;
}

export function signTicketLinkToken(bookingId: string, exp: number, key?: string): string {
  const payload = encodeJson({ b: bookingId, e: exp });
  return `${payload}.${mac("ticket-link", payload, key)}`;
}

export type TicketLinkResult =
  | { ok: true; bookingId: string; exp: number }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

export function verifyTicketLinkToken(token: string, now: Date, key?: string): TicketLinkResult {
  // base64url and "." only: nothing to URL-decode, and anything else is not ours.
  const parts = token.split(".");
  if (parts.length !== 2 || token.length > 512) return { ok: false, reason: "malformed" };
  const [payload, tag] = parts as [string, string];
  if (!macMatches("ticket-link", payload, tag, key)) return { ok: false, reason: "bad_signature" };
  const parsed = wire.safeParse(decodeJson(payload));
  if (!parsed.success) return { ok: false, reason: "malformed" };
  if (parsed.data.e * 1000 < now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, bookingId: parsed.data.b, exp: parsed.data.e };
}

export function ticketUrl(locale: Locale, token: string): string {
  return `${appUrl()}/${locale}/ticket/${token}`;
}

export function manageBookingUrl(locale: Locale, reference: string): string {
  return `${appUrl()}/${locale}/manage?ref=${encodeURIComponent(reference)}`;
}
