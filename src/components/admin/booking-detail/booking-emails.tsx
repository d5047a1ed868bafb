"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { emailKindName, resendOutcome } from "../email-resend";
import { when } from "../format";
import { SimpleTable } from "../simple-table";
import type { AdminOutputs } from "../types";
import { Badge, btnSecondary, Section } from "../ui";

type Booking = AdminOutputs["bookings"]["get"];

/** The booking's emails with their delivery state, each resendable. */
export function BookingEmails({ booking }: { booking: Booking }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const resend = useMutation(trpc.admin.bookings.resendEmail.mutationOptions());
  return (
    <Section title="Emails">
      <SimpleTable
        caption="Emails"
        head={["Email", "To", "Status", "Attempts", "Last error", "Queued", "Sent", "Action"]}
        rows={booking.emails.map((e) => [
          emailKindName(e.kind),
          e.recipient,
          <Badge key="s" value={e.status} />,
          String(e.attempts),
          e.lastError ? (
            <span key="e" className="text-coral-700">
              {e.lastError}
            </span>
          ) : (
            "—"
          ),
          when(e.createdAt),
          when(e.sentAt),
          <button
            key="r"
            type="button"
            className={btnSecondary}
            disabled={resend.isPending && resend.variables?.outboxId === e.id}
            onClick={() =>
              resend.mutate(
                { outboxId: e.id },
                resendOutcome(
                  e,
                  () =>
                    void qc.invalidateQueries(
                      trpc.admin.bookings.get.queryFilter({ reference: booking.reference }),
                    ),
                ),
              )
            }
          >
            Resend<span className="sr-only"> {emailKindName(e.kind)} email</span>
          </button>,
        ])}
        empty="No email for this booking yet."
      />
    </Section>
  );
}
