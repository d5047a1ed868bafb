import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "@/server/seed/seed";
import { loadBookingView } from "@/server/features/tickets/load-booking";
import { emailKinds } from "@/server/features/email/outbox";
import { renderEmail } from "@/server/features/email/render";
import { verifyTicketLinkToken } from "@/server/features/tickets/ticket-link";
import { createTestDb, type TestDb } from "../helpers/db";
import {
  createBooking,
  type FixtureBooking,
  pickSailings,
  type SailingPair,
} from "../helpers/email-fixtures";

let t: TestDb;
let pair: SailingPair;
const byLocale: Record<string, FixtureBooking> = {};

beforeAll(async () => {
  t = await createTestDb();
  await seedDatabase(t.db, { today: "2027-01-04", days: 21, devAdmin: null });
  pair = await pickSailings(t.db);
  for (const locale of ["en", "fr", "ar"] as const) {
    byLocale[locale] = await createBooking(t.db, {
      outboundSailingId: pair.outbound,
      returnSailingId: pair.inbound,
      locale,
      vehicle: true,
    });
  }
});
afterAll(() => t.destroy());

const dataFor = (kind: string, sailingId: number) =>
  ({
    booking_cancelled: { refundAmount: 12_345, currency: "EUR" },
    refund_completed: { refundId: "r1", amount: 12_345, currency: "EUR" },
    refund_failed: { refundId: "r1", amount: 12_345, currency: "EUR", reason: "expired_or_canceled_card" },
    late_payment_refunded: { amount: 44_750, currency: "EUR" },
    departure_reminder: { direction: "OUTBOUND" },
    sailing_notice: { sailingId, change: "cancelled", message: "Storm warning in the Gulf of Tunis." },
  })[kind] ?? {};

async function renderFor(locale: "en" | "fr" | "ar", kind: (typeof emailKinds)[number]) {
  const fixture = byLocale[locale]!;
  const booking = await loadBookingView(t.db, fixture.id);
  return renderEmail({ kind, locale, data: dataFor(kind, pair.outbound), booking });
}

describe("email templates", () => {
  it("renders every kind in every locale, HTML and text, without remote images", async () => {
    for (const locale of ["en", "fr", "ar"] as const) {
      const subjects = new Set<string>();
      for (const kind of emailKinds) {
        const email = await renderFor(locale, kind);
        const ref = byLocale[locale]!.reference;
        // Every subject names the booking, except the reminder, which names where the crossing goes.
        if (kind === "departure_reminder") {
          expect(email.subject, `${locale} ${kind}`).toContain(locale === "ar" ? "مرسيليا" : "Marseille");
        } else {
          expect(email.subject, `${locale} ${kind}`).toContain(ref);
        }
        subjects.add(email.subject);
        expect(email.html).toContain(`lang="${locale}"`);
        expect(email.html).toContain(locale === "ar" ? 'dir="rtl"' : 'dir="ltr"');
        expect(email.html).toContain(ref);
        expect(email.text).toContain(ref);
        // No remote images: QR codes are inline attachments referenced by cid:.
        expect(email.html).not.toMatch(/<img[^>]+src="https?:/);
        // ICU placeholders all filled.
        expect(email.html).not.toMatch(/\{[a-zA-Z]+\}/);
        expect(email.text).not.toMatch(/\{[a-zA-Z]+\}/);
      }
      // One subject per kind: a template that fell back to another kind's text would repeat one.
      expect(subjects.size, locale).toBe(emailKinds.length);
    }
  });

  it("uses the booking's language for subject lines", async () => {
    const ref = (l: string) => byLocale[l]!.reference;
    expect((await renderFor("en", "booking_confirmed")).subject).toBe(
      `Booking confirmed: ${ref("en")} · Tunis (La Goulette) → Marseille`,
    );
    expect((await renderFor("fr", "booking_confirmed")).subject).toBe(
      `Réservation confirmée : ${ref("fr")} · Tunis (La Goulette) → Marseille`,
    );
    expect((await renderFor("ar", "booking_confirmed")).subject).toBe(
      `تم تأكيد الحجز: ${ref("ar")} · تونس (حلق الوادي) ← مرسيليا`,
    );
    expect((await renderFor("fr", "booking_cancelled")).subject).toBe(`Réservation ${ref("fr")} annulée`);
    expect((await renderFor("ar", "sailing_notice")).subject).toContain("إلغاء رحلة");
    expect((await renderFor("fr", "refund_failed")).subject).toContain("Action requise");
  });

  it("confirmation: itinerary in port time with zone names, passengers, vehicle, prices, links, QR per passenger and leg", async () => {
    const email = await renderFor("en", "booking_confirmed");
    const booking = (await loadBookingView(t.db, byLocale.en!.id))!;
    const out = booking.legs[0]!;
    // Local time at Tunis, whatever the process TZ (Asia/Kathmandu in tests).
    const local = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Africa/Tunis",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(out.departureAt);
    expect(email.html).toContain(local);
    expect(email.html).toContain("Central European");
    expect(email.html).toContain("Amira Testova");
    expect(email.html).toContain("Child (4–11)");
    expect(email.html).toContain("123 TU 4567");
    expect(email.html).toContain("Reclining seat");
    expect(email.html).toContain("Inside cabin");
    expect(email.html).toContain("€");
    expect(email.html).toContain(`/en/manage?ref=${booking.reference}`);
    const token = /\/en\/ticket\/([A-Za-z0-9_.-]+)"/.exec(email.html)?.[1];
    expect(token).toBeDefined();
    const verified = verifyTicketLinkToken(token!, new Date("2027-01-05T00:00:00Z"));
    expect(verified).toMatchObject({ ok: true, bookingId: booking.id });
    // 2 passengers × 2 legs = 4 QR codes, each an inline PNG referenced by cid.
    expect(email.attachments).toHaveLength(4);
    for (const a of email.attachments) {
      expect(email.html).toContain(`cid:${a.contentId}`);
      expect(a.content.subarray(1, 4).toString()).toBe("PNG");
    }
  });

  it("labels price lines from their kind and codes in the booking's language, not from the stored English", async () => {
    const fr = await renderFor("fr", "booking_confirmed");
    expect(fr.html).toContain("Adulte · Fauteuil inclinable");
    expect(fr.html).toContain("Enfant (4–11 ans) · Fauteuil inclinable");
    expect(fr.html).not.toContain("Adult · reclining seat");
    const en = await renderFor("en", "booking_confirmed");
    expect(en.html).toContain("Adult · Reclining seat");
    expect(en.html).not.toContain("Adult · reclining seat");
  });

  it("cancellation says how much and when", async () => {
    const en = await renderFor("en", "booking_cancelled");
    expect(en.text).toContain("€123.45");
    expect(en.text).toContain("5–10 business days");
    const fr = await renderFor("fr", "booking_cancelled");
    expect(fr.text).toMatch(/123,45\s€/);
    expect(fr.text).toContain("5 à 10 jours ouvrés");
  });

  it("refund failed says what to do", async () => {
    const email = await renderFor("en", "refund_failed");
    expect(email.text).toContain("What to do");
    expect(email.text).toContain("expired_or_canceled_card");
  });

  it("renders the same bytes twice (a retry must match its idempotency key's first body)", async () => {
    const a = await renderFor("ar", "booking_confirmed");
    const b = await renderFor("ar", "booking_confirmed");
    expect(b.html).toBe(a.html);
    expect(b.text).toBe(a.text);
    expect(
      Buffer.concat(b.attachments.map((x) => x.content)).equals(
        Buffer.concat(a.attachments.map((x) => x.content)),
      ),
    ).toBe(true);
  });
});
