import { money } from "../format";
import type { AdminOutputs } from "../types";
import { Alert } from "../ui";

type Booking = AdminOutputs["bookings"]["get"];

const WHAT: Record<string, string> = {
  AMOUNT_MISMATCH: "Amount mismatch",
  CURRENCY_MISMATCH: "Currency mismatch",
};

/**
 * Payments flagged for review on a booking: what was paid against the booking's total. Such a payment
 * never confirms the booking and is refunded in full automatically; the refund shows under Refunds.
 */
export function PaymentFlags({ booking }: { booking: Booking }) {
  const flagged = booking.payments.filter((p) => p.flag);
  if (flagged.length === 0) return null;
  return (
    <Alert title="Payment flagged for review">
      <ul className="grid gap-1">
        {flagged.map((p) => (
          <li key={p.id}>
            {WHAT[p.flag ?? ""] ?? p.flag}: paid {money(p.amount, p.currency)} for a booking total of{" "}
            {money(booking.total.amount, booking.total.currency)}. The booking was not confirmed by this
            payment and the payment is refunded in full (see Refunds).
          </li>
        ))}
      </ul>
    </Alert>
  );
}
