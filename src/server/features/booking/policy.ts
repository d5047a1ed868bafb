import type { RefundPolicy } from "@/server/db/schema/network";
import { percentOf } from "@/shared/money";

/**
 * The cancellation policy, stated on the site and in emails:
 * - STANDARD fares: full refund more than 7 days before departure, 50 % from 7 days to 48 hours, none
 *   in the last 48 hours.
 * - FLEX fares: full refund up to 24 hours before departure, 50 % in the last 24 hours.
 * Measured from the first leg's departure. No cancellation once it has sailed.
 */
export type PolicyBand = "FULL" | "HALF" | "NONE" | "DEPARTED";

export interface RefundQuote {
  band: PolicyBand;
  percent: number;
  amount: number;
}

const DAY = 24 * 3600_000;

export function refundFor(
  policy: RefundPolicy,
  departureAt: Date,
  now: Date,
  paidAmount: number,
): RefundQuote {
  const ahead = departureAt.getTime() - now.getTime();
  let band: PolicyBand;
  if (ahead <= 0) band = "DEPARTED";
  else if (policy === "FLEX") band = ahead > DAY ? "FULL" : "HALF";
  else band = ahead > 7 * DAY ? "FULL" : ahead > 2 * DAY ? "HALF" : "NONE";
  const percent = band === "FULL" ? 100 : band === "HALF" ? 50 : 0;
  return { band, percent, amount: percentOf(paidAmount, percent) };
}

export const POLICY_TEXT: Record<RefundPolicy, string> = {
  STANDARD:
    "Full refund more than 7 days before departure, 50% from 7 days to 48 hours before, no refund in the last 48 hours.",
  FLEX: "Full refund up to 24 hours before departure, 50% in the last 24 hours.",
};
