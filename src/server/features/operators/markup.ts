import { OPERATOR_MARKUP_RANGE_BPS } from "@/server/db/schema/network";

/**
 * Traverse's price for a connected operator's fare: the fare plus `markupBps` basis points (800 = 8 %),
 * rounded half up to the minor unit (an exact half cent goes up). Exact integer arithmetic, so no binary
 * fraction ever rounds a half the wrong way. Apply it once to a total, not to each line: rounding every
 * line would make the lines and the total disagree.
 */
export function applyMarkup(amountMinor: number, markupBps: number): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new RangeError(`amount must be a whole, non-negative number of minor units, got ${amountMinor}`);
  }
  if (
    !Number.isInteger(markupBps) ||
    markupBps < OPERATOR_MARKUP_RANGE_BPS.min ||
    markupBps > OPERATOR_MARKUP_RANGE_BPS.max
  ) {
    throw new RangeError(
      `markup must be whole basis points from ${OPERATOR_MARKUP_RANGE_BPS.min} to ${OPERATOR_MARKUP_RANGE_BPS.max}, got ${markupBps}`,
    );
  }
  const scaled = BigInt(amountMinor) * BigInt(10_000 + markupBps);
  const result = (scaled + 5_000n) / 10_000n;
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("amount with markup is too large");
  return Number(result);
}
