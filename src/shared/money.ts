/**
 * Money is integer minor units plus an ISO 4217 currency. One formatter for pages, admin screens, emails
 * and tickets, so a price reads the same everywhere it appears. Client-safe.
 */

/** An amount in a currency's minor units (cents for EUR), with its ISO 4217 code. */
export interface Money {
  amount: number;
  currency: string;
}

// Intl formatters are costly to build and immutable: one per (locale, currency, style) for the process.
// Rendering a batch of emails formats thousands of amounts.
const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(locale: string, currency: string, wholeUnits = false): Intl.NumberFormat {
  const key = `${locale}|${currency}|${wholeUnits ? 0 : ""}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      ...(wholeUnits ? { maximumFractionDigits: 0 } : {}),
    });
    formats.set(key, f);
  }
  return f;
}

/** How many minor units a currency has: its own exponent (EUR 2, TND 3, JPY 0). */
export function currencyDigits(currency: string): number {
  return currencyFormat("en", currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Minor units → "€89.00" / "89,00 €" in the reader's locale. `compact` (day strip, suggestions) drops
 * ".00" from whole amounts where space is short: "€165".
 */
export function formatMoney(
  locale: string,
  amount: number,
  currency: string,
  opts: { compact?: boolean } = {},
): string {
  const value = amount / 10 ** currencyDigits(currency);
  if (opts.compact && Number.isInteger(value)) return currencyFormat(locale, currency, true).format(value);
  return currencyFormat(locale, currency).format(value);
}

/** `percent`% of an amount in minor units, rounded half up to the minor unit (percentage refunds). */
export function percentOf(amount: number, percent: number): number {
  return Math.round((amount * percent) / 100);
}
