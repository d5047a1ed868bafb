"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { ConfirmDialog } from "../confirm-dialog";
import { DataTable } from "../data-table";
import { dateTime, money, when } from "../format";
import type { AdminOutputs, RouteRow } from "../types";
import { Badge, btnDangerOutline, Section } from "../ui";
import { AddOverride } from "./add-override";
import { FareCell } from "./fare-cell";
import { itemLabel, itemOf } from "./fare-items";

type Fares = AdminOutputs["pricing"]["routeFares"];
type Override = Fares["overrides"][number];

/** Prices for one sailing only (a peak day, a promotion), editable and removable, plus the form to add one. */
export function Overrides({
  route,
  fares,
  currency,
  initialSailingId,
}: {
  route: RouteRow;
  fares: Fares;
  currency: string;
  initialSailingId?: number;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [removing, setRemoving] = useState<Override | null>(null);
  const remove = useMutation(trpc.admin.pricing.removeOverride.mutationOptions());
  const zone = route.from.timeZone;

  const columns = useMemo<ColumnDef<Override>[]>(
    () => [
      {
        id: "sailing",
        header: "Sailing (departure, port time)",
        accessorFn: (o) => `${o.sailingId} ${dateTime(o.departureAt, zone)}`,
        sortingFn: (a, b) => a.original.departureAt.getTime() - b.original.departureAt.getTime(),
        cell: (c) => (
          <span>
            {dateTime(c.row.original.departureAt, zone)}{" "}
            <span className="text-slate-600">#{c.row.original.sailingId}</span>{" "}
            {c.row.original.sailingStatus === "CANCELLED" ? <Badge value="CANCELLED" /> : null}
          </span>
        ),
      },
      { id: "item", header: "Item", accessorFn: (o) => itemLabel(o) },
      {
        id: "default",
        header: "Route price",
        enableSorting: false,
        cell: (c) => {
          const o = c.row.original;
          const d = fares.defaults.find(
            (f) =>
              f.kind === o.kind &&
              f.accommodation === o.accommodation &&
              f.passengerType === o.passengerType &&
              f.vehicleType === o.vehicleType,
          );
          return d ? money(d.amount, d.currency) : "—";
        },
      },
      {
        id: "amount",
        header: "Override",
        accessorFn: (o) => o.amount,
        cell: (c) => (
          <FareCell
            key={c.row.original.id}
            label={`${itemLabel(c.row.original)} on sailing ${c.row.original.sailingId}`}
            amount={c.row.original.amount}
            currency={c.row.original.currency}
            routeId={route.id}
            sailingId={c.row.original.sailingId ?? undefined}
            item={itemOf(c.row.original)}
          />
        ),
      },
      {
        id: "updated",
        header: "Updated",
        accessorFn: (o) => o.updatedAt.getTime(),
        cell: (c) => when(c.row.original.updatedAt),
      },
      {
        id: "remove",
        header: "Remove",
        enableSorting: false,
        cell: (c) => (
          <button
            type="button"
            className={btnDangerOutline}
            onClick={() => {
              remove.reset();
              setRemoving(c.row.original);
            }}
          >
            Remove
            <span className="sr-only">
              {" "}
              override {itemLabel(c.row.original)} on sailing {c.row.original.sailingId}
            </span>
          </button>
        ),
      },
    ],
    [fares.defaults, route.id, zone, remove],
  );

  return (
    <Section
      title="Per-sailing overrides"
      description="A price for one sailing only (a peak day, a promotion). Removing it brings back the route price."
    >
      <DataTable
        caption="Per-sailing price overrides"
        columns={columns}
        data={fares.overrides}
        getRowId={(o) => String(o.id)}
        filterLabel="Filter overrides"
        emptyText="No sailing on this route has its own price."
      />
      <AddOverride route={route} currency={currency} initialSailingId={initialSailingId} />
      <ConfirmDialog
        open={removing !== null}
        title="Remove this price override?"
        confirmLabel="Remove override"
        cancelLabel="Keep it"
        pending={remove.isPending}
        pendingLabel="Removing…"
        error={remove.isError ? errorMessage(remove.error) : null}
        onClose={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(
            { fareId: removing.id },
            {
              onSuccess: () => {
                toast.success(`Override removed: ${itemLabel(removing)} on sailing ${removing.sailingId}.`);
                setRemoving(null);
                void qc.invalidateQueries(trpc.admin.pricing.pathFilter());
              },
              onError: (e) => toast.error(`Override not removed: ${errorMessage(e)}`),
            },
          )
        }
      >
        {removing ? (
          <p>
            {itemLabel(removing)} on the sailing of {dateTime(removing.departureAt, zone)} goes back to the
            route price. Existing bookings keep what they paid.
          </p>
        ) : null}
      </ConfirmDialog>
    </Section>
  );
}
