"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { emailKindName, resendOutcome } from "./email-resend";
import { PagedTable, usePaging } from "./paged-table";
import { count, when } from "./format";
import type { AdminOutputs } from "./types";
import { Badge, btnLink, btnPrimary, btnSecondary, Input, PageTitle, Section } from "./ui";

type Item = AdminOutputs["emails"]["list"]["items"][number];
const STATUSES = ["QUEUED", "SENT", "FAILED"] as const;

export function EmailsPanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [status, setStatus] = useState<(typeof STATUSES)[number] | undefined>(undefined);
  const [recipient, setRecipient] = useState("");
  const [kind, setKind] = useState("");
  const [applied, setApplied] = useState({ recipient: "", kind: "" });
  const { page, pageSize, setPage, paging } = usePaging();
  /** A new status filter starts again at the first page. */
  const showStatus = (next: typeof status) => {
    setStatus(next);
    setPage(1);
  };
  const list = useQuery({
    ...trpc.admin.emails.list.queryOptions({
      status,
      kind: applied.kind || undefined,
      recipient: applied.recipient || undefined,
      page,
      pageSize,
    }),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  const resend = useMutation(trpc.admin.emails.resend.mutationOptions());

  const columns = useMemo<ColumnDef<Item>[]>(
    () => [
      {
        id: "created",
        header: "Queued",
        accessorFn: (e) => e.createdAt.getTime(),
        cell: (c) => when(c.row.original.createdAt),
      },
      { id: "kind", header: "Email", accessorFn: (e) => emailKindName(e.kind) },
      { id: "recipient", header: "To", accessorFn: (e) => e.recipient },
      {
        id: "booking",
        header: "Booking",
        accessorFn: (e) => e.booking?.reference ?? "",
        cell: (c) =>
          c.row.original.booking ? (
            <Link
              className={`${btnLink} font-mono`}
              href={`/admin/bookings/${c.row.original.booking.reference}`}
            >
              {c.row.original.booking.reference}
            </Link>
          ) : (
            "—"
          ),
      },
      {
        id: "status",
        header: "Status",
        accessorFn: (e) => e.status,
        cell: (c) => <Badge value={c.row.original.status} />,
      },
      { id: "attempts", header: "Attempts", accessorFn: (e) => e.attempts },
      {
        id: "error",
        header: "Last error",
        accessorFn: (e) => e.lastError ?? "",
        cell: (c) =>
          c.row.original.lastError ? <span className="text-coral-700">{c.row.original.lastError}</span> : "—",
      },
      {
        id: "sent",
        header: "Sent",
        accessorFn: (e) => e.sentAt?.getTime() ?? 0,
        cell: (c) => when(c.row.original.sentAt),
      },
      {
        id: "action",
        header: "Action",
        enableSorting: false,
        cell: (c) => {
          const e = c.row.original;
          return (
            <button
              type="button"
              className={btnSecondary}
              disabled={resend.isPending && resend.variables?.outboxId === e.id}
              onClick={() =>
                resend.mutate(
                  { outboxId: e.id },
                  resendOutcome(e, () => void qc.invalidateQueries(trpc.admin.emails.pathFilter())),
                )
              }
            >
              Resend
              <span className="sr-only">
                {" "}
                {emailKindName(e.kind)} to {e.recipient}
              </span>
            </button>
          );
        },
      },
    ],
    [resend, qc, trpc],
  );

  return (
    <>
      <PageTitle sub="Every email goes through this outbox; failed ones can be sent again. Refreshes every 10 seconds.">
        Email outbox
      </PageTitle>
      <Section title="Emails">
        <fieldset className="flex flex-wrap gap-2">
          <legend className="sr-only">Status</legend>
          <button
            type="button"
            aria-pressed={status === undefined}
            className={`${btnSecondary} aria-pressed:bg-sea-700 aria-pressed:text-white`}
            onClick={() => showStatus(undefined)}
          >
            All
          </button>
          {STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={status === s}
              className={`${btnSecondary} aria-pressed:bg-sea-700 aria-pressed:text-white`}
              onClick={() => showStatus(s)}
            >
              {s.toLowerCase()} ({count(list.data?.counts[s] ?? 0)})
            </button>
          ))}
        </fieldset>
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied({ recipient: recipient.trim(), kind: kind.trim() });
            setPage(1);
          }}
        >
          <Input
            label="Recipient contains"
            value={recipient}
            onChange={(e) => setRecipient(e.target.value)}
            maxLength={200}
          />
          <Input
            label="Email kind"
            placeholder="e.g. refund_completed"
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            maxLength={50}
          />
          <button type="submit" className={btnPrimary}>
            Filter
          </button>
        </form>
        <PagedTable
          query={list}
          caption="Email outbox"
          columns={columns}
          getRowId={(e) => e.id}
          emptyText="No email matches."
          paging={paging}
        />
      </Section>
    </>
  );
}
