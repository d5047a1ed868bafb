import { z } from "zod";

/** Money is integer minor units plus an ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new Error(`money amount must be an integer, got ${amount}`);
  return { amount, currency };
}

export function sumMoney(items: Money[], currency: string): Money {
  let total = 0;
  for (const m of items) {
    if (m.currency !== currency) throw new Error(`cannot add ${m.currency} to ${currency}`);
    total += m.amount;
  }
  return money(total, currency);
}

/** Rounds half up to the minor unit; used for percentage refunds. */
export function percentOf(amount: number, percent: number): number {
  return Math.round((amount * percent) / 100);
}

export function formatMoney(m: Money, locale = "en"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: m.currency }).format(m.amount / 100);
}

/** An amount an admin types in minor units (cents), with messages that name `what` it is. */
export const minorUnitsInput = (what: string) =>
  z
    .number({ error: `Give the ${what} in cents.` })
    .int(`The ${what} must be a whole number of cents.`)
    .min(0, `The ${what} cannot be negative.`)
    .max(100_000_000, `That ${what} is not plausible.`);
