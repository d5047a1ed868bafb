import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** The traveller's view of a booking, as `booking.get` and `booking.checkoutStatus` return it. */
export type BookingView = inferRouterOutputs<AppRouter>["booking"]["get"];

const PASSENGER = { Adult: "adult", "Child (4–11)": "child", "Infant (0–3)": "infant" } as const;
const ACCOMMODATION: Record<string, string> = {
  "Deck passage": "DECK",
  "Reclining seat": "SEAT",
  "Inside cabin": "CABIN_INSIDE",
  "Outside cabin": "CABIN_OUTSIDE",
};

/**
 * Price lines are stored with an English description only (server/features/booking/create.ts). Until they carry
 * their kind and codes, read those back from the description so fr/ar travellers see their language; anything
 * unrecognised is shown as stored.
 */
export function parseLineDescription(
  d: string,
):
  | { kind: "passenger"; type: "adult" | "child" | "infant"; accommodation: string }
  | { kind: "vehicle"; type: string }
  | { kind: "pet" }
  | { kind: "fee" }
  | null {
  const p = /^(.+?) · (.+)$/.exec(d);
  if (p?.[1] && p[1] in PASSENGER && p[2] && ACCOMMODATION[p[2]])
    return {
      kind: "passenger",
      type: PASSENGER[p[1] as keyof typeof PASSENGER],
      accommodation: ACCOMMODATION[p[2]] as string,
    };
  const v = /^Vehicle · (motorcycle|car|high car|camper)$/.exec(d);
  if (v?.[1]) return { kind: "vehicle", type: v[1].replace(" ", "_") };
  if (d === "Pet (kennel)") return { kind: "pet" };
  // Traverse's markup on a connected operator's fare (server/features/booking/operator-hold.ts).
  if (d === "Booking service fee") return { kind: "fee" };
  return null;
}
