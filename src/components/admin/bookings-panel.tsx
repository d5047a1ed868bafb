"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef, SortingState } from "@tanstack/react-table";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { PagedTable } from "./paged-table";
import { dateTime, money, when } from "./format";
import type { AdminOutputs } from "./types";
import { Badge, btnLink, btnPrimary, btnSecondary, Input, PageTitle, Section, Select } from "./ui";

type Item = AdminOutputs["bookings"]["search"]["items"][number];
const STATUSES = ["PENDING_PAYMENT", "CONFIRMING", "CONFIRMED", "CANCELLED", "EXPIRED"] as const;
const SORTS = ["createdAt", "departureAt", "total", "reference"] as const;
type Sort = (typeof SORTS)[number];

/** Booking search: the query lives in the URL, so a search can be shared, reloaded and linked from a sailing. */
export function BookingsPanel() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const sp = useSearchParams();
  const q = sp.get("q") ?? "";
  const sailing = sp.get("sailing") ?? "";
  const status = (STATUSES as readonly string[]).includes(sp.get("status") ?? "")
    ? (sp.get("status") as (typeof STATUSES)[number])
    : undefined;
  const page = Math.max(1, Number(sp.get("page")) || 1);
  const pageSize = [10, 20, 50, 100].includes(Number(sp.get("size"))) ? Number(sp.get("size")) : 20;
  const sort: Sort = (SORTS as readonly string[]).includes(sp.get("sort") ?? "")
    ? (sp.get("sort") as Sort)
    : "createdAt";
  const dir = sp.get("dir") === "asc" ? "asc" : "desc";
  const flagged = sp.get("flagged") === "1";

  const [draft, setDraft] = useState({ q, sailing, status: status ?? "", flagged });
  const [draftError, setDraftError] = useState<string | null>(null);

  const go = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(sp.toString());
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === "") next.delete(k);
      else next.set(k, String(v));
    }
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };

  const search = useQuery({
    ...trpc.admin.bookings.search.queryOptions({
      q: q || undefined,
      sailingId: sailing && /^\d+$/.test(sailing) ? Number(sailing) : undefined,
      status,
      flagged: flagged || undefined,
      sort,
      dir,
      page,
      pageSize,
    }),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<Item>[]>(
    () => [
      {
        id: "reference",
        header: "Reference",
        accessorFn: (b) => b.reference,
        cell: (c) => (
          <Link className={`${btnLink} font-mono`} href={`/admin/bookings/${c.row.original.reference}`}>
            {c.row.original.reference}
          </Link>
        ),
      },
      {
        id: "status",
        header: "Status",
        enableSorting: false,
        accessorFn: (b) => b.status,
        cell: (c) => (
          <span className="flex flex-wrap gap-1">
            <Badge value={c.row.original.status} />
            {c.row.original.flag ? <Badge value={c.row.original.flag} /> : null}
          </span>
        ),
      },
      {
        id: "lead",
        header: "Lead passenger",
        enableSorting: false,
        accessorFn: (b) => b.leadPassenger ?? "—",
        cell: (c) =>
          `${c.row.original.leadPassenger ?? "—"}${c.row.original.passengers > 1 ? ` +${c.row.original.passengers - 1}` : ""}`,
      },
      { id: "email", header: "Email", enableSorting: false, accessorFn: (b) => b.contactEmail },
      {
        id: "departureAt",
        header: "Outbound (port time)",
        accessorFn: (b) => b.outbound?.departureAt.getTime() ?? 0,
        cell: (c) => {
          const o = c.row.original.outbound;
          return o ? (
            <span className="whitespace-nowrap">
              {o.from} → {o.to}, {dateTime(o.departureAt, o.timeZone)}
            </span>
          ) : (
            "—"
          );
        },
      },
      {
        id: "total",
        header: "Total",
        accessorFn: (b) => b.total.amount,
        cell: (c) => (
          <span className="tabular-nums">
            {money(c.row.original.total.amount, c.row.original.total.currency)}
          </span>
        ),
      },
      {
        id: "createdAt",
        header: "Created",
        accessorFn: (b) => b.createdAt.getTime(),
        cell: (c) => when(c.row.original.createdAt),
      },
    ],
    [],
  );

  const sorting: SortingState = [{ id: sort, desc: dir === "desc" }];

  return (
    <>
      <PageTitle sub="Find a booking by its reference, the contact email, a passenger's name, or the sailing it is on.">
        Bookings
      </PageTitle>
      <Section title="Search">
        <search>
          <form
            className="flex flex-wrap items-start gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              if (draft.sailing && !/^\d+$/.test(draft.sailing.trim())) {
                setDraftError("A sailing is given by its number, e.g. 1234.");
                return;
              }
              setDraftError(null);
              go({
                q: draft.q.trim(),
                sailing: draft.sailing.trim(),
                status: draft.status,
                flagged: draft.flagged ? "1" : undefined,
                page: undefined,
              });
            }}
          >
            <Input
              label="Reference, email or name"
              type="search"
              className="min-w-72"
              value={draft.q}
              onChange={(e) => setDraft({ ...draft, q: e.target.value })}
              maxLength={120}
            />
            <Input
              label="Sailing number"
              inputMode="numeric"
              className="w-36"
              value={draft.sailing}
              error={draftError ?? undefined}
              onChange={(e) => setDraft({ ...draft, sailing: e.target.value })}
            />
            <Select
              label="Status"
              value={draft.status}
              onChange={(e) => setDraft({ ...draft, status: e.target.value as typeof draft.status })}
            >
              <option value="">Any</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replace("_", " ").toLowerCase()}
                </option>
              ))}
            </Select>
            <Select
              label="Payments"
              value={draft.flagged ? "1" : ""}
              onChange={(e) => setDraft({ ...draft, flagged: e.target.value === "1" })}
            >
              <option value="">Any</option>
              <option value="1">Flagged for review</option>
            </Select>
            <div className="flex gap-2 pt-6">
              <button type="submit" className={btnPrimary}>
                Search
              </button>
              <button
                type="button"
                className={btnSecondary}
                onClick={() => {
                  setDraft({ q: "", sailing: "", status: "", flagged: false });
                  router.replace(pathname);
                }}
              >
                Clear
              </button>
            </div>
          </form>
        </search>
        <PagedTable
          query={search}
          loading="Searching…"
          caption="Bookings found"
          columns={columns}
          getRowId={(b) => b.id}
          emptyText="No booking matches this search."
          paging={{
            onPageChange: (p) => go({ page: p }),
            onPageSizeChange: (n) => go({ size: n, page: undefined }),
            sorting,
            onSortingChange: (s) => {
              const first = s[0];
              if (!first) go({ sort: undefined, dir: undefined, page: undefined });
              else go({ sort: first.id, dir: first.desc ? "desc" : "asc", page: undefined });
            },
          }}
        />
      </Section>
    </>
  );
}
