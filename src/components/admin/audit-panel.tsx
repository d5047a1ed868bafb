"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { type ChangeEvent, useMemo, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { PagedTable, usePaging } from "./paged-table";
import { when } from "./format";
import type { AdminOutputs } from "./types";
import { btnPrimary, Input, PageTitle, Section } from "./ui";
import { TableHead } from "./table-head";

type Item = AdminOutputs["audit"]["list"]["items"][number];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (v === undefined) return "—";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Before → after, field by field when both are objects; changed fields first and marked. */
function Change({ before, after }: { before: unknown; after: unknown }) {
  if (!isObject(before) && !isObject(after)) {
    return (
      <span className="text-xs">
        {before !== null ? <del className="text-coral-700">{show(before)}</del> : null}{" "}
        {after !== null ? <ins className="text-emerald-800 no-underline">{show(after)}</ins> : null}
      </span>
    );
  }
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return (
    <table className="text-xs">
      <caption className="sr-only">Before and after</caption>
      <TableHead className="sr-only" cells={["Field", "Before", "After"]} />
      <tbody>
        {keys.map((k) => {
          const changed = JSON.stringify(b[k]) !== JSON.stringify(a[k]);
          return (
            <tr key={k}>
              <th scope="row" className="pe-2 text-left font-semibold align-top">
                {k}
              </th>
              <td className={`pe-2 align-top break-all ${changed ? "text-coral-700" : "text-slate-600"}`}>
                {k in b ? show(b[k]) : "—"}
              </td>
              <td className="pe-1 align-top" aria-hidden="true">
                →
              </td>
              <td
                className={`align-top break-all ${changed ? "font-semibold text-emerald-800" : "text-slate-600"}`}
              >
                {k in a ? show(a[k]) : "—"}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function AuditPanel() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState({ action: "", entity: "", entityId: "" });
  /** A filter input bound to one field of the draft. */
  const draftField = (key: keyof typeof draft) => ({
    value: draft[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [key]: e.target.value }),
  });
  const [applied, setApplied] = useState(draft);
  const { page, pageSize, setPage, paging } = usePaging(25);
  const list = useQuery({
    ...trpc.admin.audit.list.queryOptions({
      action: applied.action || undefined,
      entity: applied.entity || undefined,
      entityId: applied.entityId || undefined,
      page,
      pageSize,
    }),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<ColumnDef<Item>[]>(
    () => [
      {
        id: "at",
        header: "When",
        accessorFn: (r) => r.at.getTime(),
        cell: (c) => <span className="whitespace-nowrap">{when(c.row.original.at)}</span>,
      },
      { id: "who", header: "Who", accessorFn: (r) => r.admin?.email ?? "deleted admin" },
      {
        id: "action",
        header: "What",
        accessorFn: (r) => r.action,
        cell: (c) => <code>{c.row.original.action}</code>,
      },
      {
        id: "entity",
        header: "On",
        accessorFn: (r) => `${r.entity} ${r.entityId ?? ""}`,
        cell: (c) => (
          <span className="break-all">
            {c.row.original.entity} <code>{c.row.original.entityId ?? ""}</code>
          </span>
        ),
      },
      {
        id: "change",
        header: "Before → after",
        enableSorting: false,
        cell: (c) => <Change before={c.row.original.before} after={c.row.original.after} />,
      },
    ],
    [],
  );

  return (
    <>
      <PageTitle sub="Every admin change, newest first, with what it was before and after.">
        Audit log
      </PageTitle>
      <Section title="Changes">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied({
              action: draft.action.trim(),
              entity: draft.entity.trim(),
              entityId: draft.entityId.trim(),
            });
            setPage(1);
          }}
        >
          <Input
            label="Action"
            placeholder="e.g. pricing.setFare"
            {...draftField("action")}
            maxLength={100}
          />
          <Input
            label="Entity"
            placeholder="e.g. booking, sailing, fare"
            {...draftField("entity")}
            maxLength={50}
          />
          <Input label="Entity id" {...draftField("entityId")} maxLength={100} />
          <button type="submit" className={btnPrimary}>
            Filter
          </button>
        </form>
        <PagedTable
          query={list}
          caption="Audit log"
          columns={columns}
          getRowId={(r) => String(r.id)}
          emptyText="No change recorded."
          initialPageSize={25}
          paging={paging}
        />
      </Section>
    </>
  );
}
