import type { BookingFormValues } from "./booking-schema";

/**
 * sessionStorage keys of held bookings (`<prefix><out>|<ret>`), written by the booking page so that coming back
 * from Stripe offers to continue paying. They hold the traveller's details, so they go as soon as they are useless.
 */
const HOLD_STORAGE_PREFIX = "traverse:hold:";

/** What survives a trip to Stripe and back in this tab, per chosen trip. */
interface StoredHold {
  reference: string;
  email: string;
  holdExpiresAt: string;
  total: string;
  paymentError: string | null;
  values?: BookingFormValues;
}

/** The hold kept for this trip, or null (none, unreadable, or storage unavailable in private mode). */
export function readHold(trip: string): StoredHold | null {
  try {
    const raw = window.sessionStorage.getItem(HOLD_STORAGE_PREFIX + trip);
    return raw ? (JSON.parse(raw) as StoredHold) : null;
  } catch {
    return null;
  }
}

export function saveHold(trip: string, hold: StoredHold) {
  try {
    window.sessionStorage.setItem(HOLD_STORAGE_PREFIX + trip, JSON.stringify(hold));
  } catch {
    // Not fatal: only the Back-button recovery needs it.
  }
}

export function forgetHold(trip: string) {
  try {
    window.sessionStorage.removeItem(HOLD_STORAGE_PREFIX + trip);
  } catch {
    // Storage unavailable: nothing was kept.
  }
}

/** Forgets every held booking of this tab: called once a booking is confirmed. */
export function forgetHolds() {
  try {
    for (let i = window.sessionStorage.length - 1; i >= 0; i--) {
      const key = window.sessionStorage.key(i);
      if (key?.startsWith(HOLD_STORAGE_PREFIX)) window.sessionStorage.removeItem(key);
    }
  } catch {
    // Storage unavailable: nothing was kept.
  }
}
