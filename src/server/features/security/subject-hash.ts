import { createHmac } from "node:crypto";
import { ticketSigningKey } from "@/env";

let key: Buffer | undefined;

/**
 * A stable pseudonym for an IP address or email, for rate-limit keys, advisory locks and
 * `bookings.client_key`. Keyed (HMAC) rather than a bare hash: there are only 2^32 IPv4 addresses, so a
 * plain SHA-256 of one is reversed by trying them all. The key is derived from the server's signing
 * secret, which production must set; rotating it only resets the counters.
 */
export function hashSubject(subject: string): string {
  key ??= createHmac("sha256", ticketSigningKey()).update("traverse/subject-hash").digest();
  return createHmac("sha256", key).update(subject).digest("hex").slice(0, 32);
}
