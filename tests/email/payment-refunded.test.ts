import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "@/server/seed/seed";
import { loadBooking } from "@/server/db/queries/booking";
import ar from "@/server/features/email/messages/ar.json";
import en from "@/server/features/email/messages/en.json";
import fr from "@/server/features/email/messages/fr.json";
import { renderEmail } from "@/server/features/email/render";
import { paymentRefundReasons } from "@/server/db/schema/payments";
import { createTestDb, type TestDb } from "../helpers/db";
import { createBooking, type FixtureBooking, pickSailings } from "../helpers/email-fixtures";

let t: TestDb;
const byLocale: Record<string, FixtureBooking> = {};
const catalogs = { en, fr, ar } as const;

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { today: "2027-01-04", days: 14, devAdmin: null });
  const pair = await pickSailings(t.db);
  for (const locale of ["en", "fr", "ar"] as const) {
    byLocale[locale] = await createBooking(t.db, { outboundSailingId: pair.outbound, locale });
  }
});
afterAll(() => t.destroy());

describe("the automatic payment refund email says why", () => {
  it("states each reason, in each language, with the amount refunded", async () => {
    const bodies = new Set<string>();
    for (const locale of ["en", "fr", "ar"] as const) {
      const booking = await loadBooking(t.db, { id: byLocale[locale]!.id }, "document");
      for (const reason of paymentRefundReasons) {
        const email = await renderEmail({
          kind: "late_payment_refunded",
          locale,
          data: { amount: 12_345, currency: "EUR", reason },
          booking,
        });
        const text = email.text.replace(/\s+/g, " ");
        expect(text, `${locale} ${reason}`).toContain(catalogs[locale].latePaymentRefunded.reason[reason]);
        expect(text, `${locale} ${reason}`).toMatch(/123[.,]45/);
        expect(email.html).not.toMatch(/\{[a-zA-Z]+\}/);
        // No reason shares its wording with another one, so the traveller is never told the wrong story.
        for (const other of paymentRefundReasons.filter((r) => r !== reason)) {
          expect(text).not.toContain(catalogs[locale].latePaymentRefunded.reason[other]);
        }
        bodies.add(text);
      }
    }
    expect(bodies.size).toBe(3 * paymentRefundReasons.length);
  });

  it("refuses a reason it does not know instead of sending a wrong explanation", async () => {
    const booking = await loadBooking(t.db, { id: byLocale.en!.id }, "document");
    await expect(
      renderEmail({ kind: "late_payment_refunded", locale: "en", data: { reason: "BECAUSE" }, booking }),
    ).rejects.toThrow(/invalid/);
  });
});
