import { describe, expect, it } from "vitest";
import { formatAmount, formatPortDateTime as emailDateTime } from "@/server/lib/intl-format";
import {
  formatIsoDate,
  formatPortDate,
  formatPortDateTime,
  formatTime,
  formatZoneName,
  intlLocale,
  isoDateParts,
  zoneOffset,
} from "@/shared/format";
import { currencyDigits, formatMoney, percentOf } from "@/shared/money";

// Intl output as Node's ICU writes it; NBSP and RLM are part of the expected strings.
const NBSP = "\u00a0";
const RLM = "\u200f";

describe("formatMoney", () => {
  it("reads minor units with the currency's own exponent", () => {
    expect(currencyDigits("EUR")).toBe(2);
    expect(currencyDigits("TND")).toBe(3);
    expect(currencyDigits("JPY")).toBe(0);
    expect(formatMoney("en-GB", 8950, "EUR")).toBe("€89.50");
    expect(formatMoney("en-GB", 12345, "TND")).toBe(`TND${NBSP}12.345`);
    expect(formatMoney("en-GB", 1500, "JPY")).toBe("JP¥1,500");
  });

  it("writes each locale's way, whatever was formatted before (formatters are cached per locale)", () => {
    expect(formatMoney("fr-FR", 8950, "EUR")).toBe(`89,50${NBSP}€`);
    expect(formatMoney("en-GB", 8950, "EUR")).toBe("€89.50");
    expect(formatMoney("fr-FR", 8950, "EUR")).toBe(`89,50${NBSP}€`);
  });

  it("drops the decimals of whole amounts only when compact", () => {
    expect(formatMoney("en-GB", 16500, "EUR", { compact: true })).toBe("€165");
    expect(formatMoney("en-GB", 16550, "EUR", { compact: true })).toBe("€165.50");
    expect(formatMoney("en-GB", 16500, "EUR")).toBe("€165.00");
  });

  it("is what emails print, in the email's locale conventions", () => {
    expect(formatAmount("en", 8950, "EUR")).toBe("€89.50");
    expect(formatAmount("fr", 8950, "EUR")).toBe(`89,50${NBSP}€`);
    // Arabic emails use Tunisian conventions: Western digits.
    expect(formatAmount("ar", 8950, "EUR")).toBe(`${RLM}89,50${NBSP}€`);
    expect(formatAmount("en", 12345, "TND")).toBe(`TND${NBSP}12.345`);
  });

  it("rounds percentage refunds half up to the minor unit", () => {
    expect(percentOf(999, 50)).toBe(500);
    expect(percentOf(1001, 25)).toBe(250);
    expect(percentOf(10_000, 0)).toBe(0);
  });
});

describe("port times", () => {
  // Summer time starts in Paris at 01:00 UTC on 29 March 2026; Tunis keeps UTC+1.
  const before = new Date("2026-03-29T00:30:00Z");
  const after = new Date("2026-03-29T02:30:00Z");

  it("shows an instant in the port's zone, with the offset of that moment", () => {
    expect(formatPortDateTime("en-GB", before, "Europe/Paris")).toBe("Sun, 29 Mar 2026, 01:30");
    expect(formatPortDateTime("en-GB", before, "Europe/Paris", { offset: true })).toBe(
      "Sun, 29 Mar 2026, 01:30 GMT+1",
    );
    expect(formatPortDateTime("en-GB", after, "Europe/Paris", { offset: true })).toBe(
      "Sun, 29 Mar 2026, 04:30 GMT+2",
    );
    expect(formatTime("en-GB", after, "Africa/Tunis")).toBe("03:30");
    expect(zoneOffset("en-GB", after, "Europe/Paris")).toBe("GMT+2");
    expect(formatPortDate("fr-FR", before, "Europe/Paris")).toBe("dimanche 29 mars");
    expect(formatZoneName("fr-FR", after, "Africa/Tunis")).toBe(`heure normale d${"\u2019"}Europe centrale`);
  });

  it("prints emails' and tickets' times like the site's", () => {
    expect(emailDateTime("en", after, "Europe/Paris")).toBe("Sun, 29 Mar 2026, 04:30");
    expect(intlLocale("en")).toBe("en-GB");
    expect(intlLocale("fr")).toBe("fr-FR");
    expect(intlLocale("ar")).toBe("ar-TN");
  });

  it("writes a calendar date as written, in three lengths", () => {
    expect(formatIsoDate("en-GB", "2026-03-03")).toBe("Tuesday, 3 March 2026");
    expect(formatIsoDate("en-GB", "2026-03-03", "medium")).toBe("Tue, 3 Mar 2026");
    expect(formatIsoDate("en-GB", "2026-03-03", "short")).toBe("Tue 3 Mar");
    expect(formatIsoDate("fr", "2026-03-03")).toBe("mardi 3 mars 2026");
    expect(isoDateParts("en", "2026-03-03")).toEqual({ weekday: "Tue", day: "3", month: "Mar" });
  });
});
