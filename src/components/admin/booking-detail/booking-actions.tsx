"use client";

import { useState } from "react";
import type { AdminOutputs } from "../types";
import { btnDangerOutline, btnSecondary } from "../ui";
import { CancelBookingDialog } from "./cancel-booking-dialog";
import { RefundBookingDialog } from "./refund-booking-dialog";

type Booking = AdminOutputs["bookings"]["get"];

/** Refund and cancel, each offered only when it can apply to the booking's current state. */
export function BookingActions({ booking }: { booking: Booking }) {
  const [open, setOpen] = useState<"cancel" | "refund" | null>(null);
  const canCancel = booking.status === "CONFIRMED" || booking.status === "PENDING_PAYMENT";
  const canRefund =
    booking.refundable.amount > 0 && (booking.status === "CONFIRMED" || booking.status === "CANCELLED");
  return (
    <div className="flex flex-wrap gap-2">
      {canRefund ? (
        <button type="button" className={btnSecondary} onClick={() => setOpen("refund")}>
          Refund…
        </button>
      ) : null}
      {canCancel ? (
        <button type="button" className={btnDangerOutline} onClick={() => setOpen("cancel")}>
          Cancel booking…
        </button>
      ) : null}
      {open === "cancel" ? <CancelBookingDialog booking={booking} onClose={() => setOpen(null)} /> : null}
      {open === "refund" ? <RefundBookingDialog booking={booking} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}
