import { z } from "zod";
import { currencyDigits } from "@/shared/money";
import { money, parseMajor } from "./format";

/**
 * The rules for amounts admins type in major units ("89.50"), checked before anything is sent; the server
 * checks again in minor units.
 */

/** A fare: a plausible amount with at most the currency's decimals (same ceiling as the server's). */
export function priceRule(currency: string) {
  const digits = currencyDigits(currency);
  return z
    .string()
    .trim()
    .min(1, "Give a price.")
    .refine((v) => parseMajor(v, currency) !== null, {
      message: digits ? `Give an amount like 89.50 (at most ${digits} decimals).` : "Give a whole amount.",
    })
    .refine(
      (v) => (parseMajor(v, currency) ?? 0) <= 10_000_000,
      "That price is not plausible (over 100 000).",
    );
}

/** A refund between `min` and what can still be refunded, in minor units. */
export function refundRule(currency: string, max: number, min: number) {
  return z
    .string()
    .trim()
    .refine((v) => parseMajor(v, currency) !== null, "Give an amount like 45.50 (at most 2 decimals).")
    .refine((v) => (parseMajor(v, currency) ?? 0) >= min, `Give at least ${money(min, currency)}.`)
    .refine((v) => (parseMajor(v, currency) ?? 0) <= max, `At most ${money(max, currency)} can be refunded.`);
}

/**
 * A refund form: a choice between two rules (e.g. the policy's amount or another one), the amount when the
 * second is chosen, and a note for the audit log.
 */
export function refundFormSchema<R extends string>(
  rules: readonly [R, R],
  amount: { currency: string; max: number; min: number },
) {
  return z
    .object({
      rule: z.enum(rules),
      amount: z.string(),
      note: z.string().max(500, "Keep the note under 500 characters."),
    })
    .superRefine((v, ctx) => {
      if (v.rule !== rules[1]) return;
      const r = refundRule(amount.currency, amount.max, amount.min).safeParse(v.amount);
      if (!r.success)
        ctx.addIssue({
          code: "custom",
          path: ["amount"],
          message: r.error.issues[0]?.message ?? "Invalid amount.",
        });
    });
}
