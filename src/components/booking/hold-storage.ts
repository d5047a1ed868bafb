/**
 * sessionStorage keys of held bookings (`<prefix><out>|<ret>`), written by the booking page so that coming back
 * from Stripe offers to continue paying. They hold the traveller's details, so they go as soon as they are useless.
 */
export const HOLD_STORAGE_PREFIX = "traverse:hold:";

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
