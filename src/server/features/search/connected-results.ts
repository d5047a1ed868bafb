import { accommodations, type Resource } from "@/server/db/schema/resources";
import type { OperatorEntry } from "@/server/features/operators/directory";
import { applyMarkup } from "@/server/features/operators/markup";
import { requiredResources } from "@/server/features/pricing/quote";
import { connectedSailingId } from "@/shared/sailing-id";
import type { ConnectedDay } from "./connected";
import type { SearchSailingsInput } from "./input";
import type { PortInfo } from "./ports";
import { ACCOMMODATION_NAMES, type SailingOption, type SailingResult, sailingTiming } from "./results";

/**
 * A connected operator's sailings in the shape of own ones. Prices are the operator's party total per class
 * plus Traverse's markup (applied once, to the total: `applyMarkup`); the operator gives no breakdown in
 * GetSailings, so `perPassenger` and `extras` are empty (booking asks GetPrice for the lines). Whether a
 * party fits is decided from the free places with the same rules as own sailings (`requiredResources`).
 */
export function connectedResults(
  day: ConnectedDay,
  entry: OperatorEntry,
  ctx: { input: SearchSailingsInput; from: PortInfo; to: PortInfo; now: number; international: boolean },
): SailingResult[] {
  const { input, from, to } = ctx;
  const party = input.passengers;
  const extras = { vehicleType: input.vehicle?.type, pets: input.pets };
  const out: SailingResult[] = [];
  for (const { sailing: s, availability } of day.sailings) {
    if (s.departureAt <= ctx.now) continue;
    let id: string;
    try {
      id = connectedSailingId(entry.code, s.ref);
    } catch {
      continue; // an id Traverse could not hand out and read back: not offered
    }
    const options: SailingOption[] = [];
    for (const accommodation of accommodations) {
      const offered = s.classes.find((c) => c.accommodation === accommodation);
      if (!offered) continue;
      const need = requiredResources(party, accommodation, extras);
      const short = (Object.entries(need) as [Resource, number][]).find(
        ([r, n]) => (availability.free[r] ?? 0) < n,
      );
      const closed = s.cancelled || !availability.onSale;
      options.push({
        accommodation,
        name: ACCOMMODATION_NAMES[accommodation],
        total: {
          amount: applyMarkup(offered.total.amount, entry.markupBps),
          currency: offered.total.currency,
        },
        perPassenger: [],
        extras: [],
        available: !closed && !short,
        remaining: Math.max(0, availability.free[accommodation] ?? 0),
        unit: offered.unit,
        limitedBy: closed ? null : (short?.[0] ?? null),
      });
    }
    options.sort((a, b) => a.total.amount - b.total.amount);
    out.push({
      id,
      source: "connected",
      ...sailingTiming(from, to, s.departureAt, s.arrivalAt),
      operator: { code: entry.code, name: entry.name },
      vessel: { name: s.vesselName },
      international: ctx.international,
      cancelled: s.cancelled,
      soldOut: !options.some((o) => o.available),
      options,
    });
  }
  return out;
}
