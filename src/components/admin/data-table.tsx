"use client";

import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  type PaginationState,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { type ReactNode, useId, useState } from "react";
import { count } from "./format";
import { btnSecondary } from "./ui";

export interface ServerPaging {
  page: number;
  pageSize: number;
  total: number;
  onPageChange: (page: number) => void;
  onPageSizeChange?: (size: number) => void;
  /** Server-side sorting; when given, sortable headers report here instead of sorting the page in memory. */
  sorting?: SortingState;
  onSortingChange?: (s: SortingState) => void;
}

/**
 * The admin's one table: TanStack Table with sortable headers (buttons, `aria-sort`), an optional text filter
 * and a pager. Small lists are sorted, filtered and paged in the browser; big ones (`server`) are paged by the
 * API and this only draws the page and reports clicks.
 */
export interface DataTableProps<T> {
  caption: string;
  columns: ColumnDef<T>[];
  data: T[];
  getRowId?: (row: T) => string;
  /** Shows a text filter over every column (client mode only). */
  filterLabel?: string;
  server?: ServerPaging;
  emptyText?: string;
  initialPageSize?: number;
  initialSorting?: SortingState;
  toolbar?: ReactNode;
  rowClassName?: (row: T) => string | undefined;
}

export function DataTable<T>({
  caption,
  columns,
  data,
  getRowId,
  filterLabel,
  server,
  emptyText = "Nothing to show.",
  initialPageSize = 20,
  initialSorting = [],
  toolbar,
  rowClassName,
}: DataTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const [globalFilter, setGlobalFilter] = useState("");
  const [pagination, setPagination] = useState<PaginationState>({ pageIndex: 0, pageSize: initialPageSize });
  const filterId = useId();

  const serverSorting = server?.sorting !== undefined;
  const table = useReactTable({
    data,
    columns,
    getRowId,
    state: {
      sorting: serverSorting ? server.sorting : sorting,
      globalFilter,
      pagination: server ? { pageIndex: server.page - 1, pageSize: server.pageSize } : pagination,
    },
    manualPagination: Boolean(server),
    manualSorting: serverSorting,
    manualFiltering: Boolean(server),
    rowCount: server?.total,
    onSortingChange: (u) => {
      const next = typeof u === "function" ? u(serverSorting ? server.sorting! : sorting) : u;
      if (serverSorting) server.onSortingChange?.(next);
      else setSorting(next);
    },
    onGlobalFilterChange: (v) => {
      setGlobalFilter(String(v ?? ""));
      setPagination((p) => ({ ...p, pageIndex: 0 }));
    },
    onPaginationChange: (u) => {
      if (server) {
        const cur = { pageIndex: server.page - 1, pageSize: server.pageSize };
        const next = typeof u === "function" ? u(cur) : u;
        if (next.pageSize !== cur.pageSize) server.onPageSizeChange?.(next.pageSize);
        else server.onPageChange(next.pageIndex + 1);
      } else setPagination(u);
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: serverSorting ? undefined : getSortedRowModel(),
    getFilteredRowModel: server ? undefined : getFilteredRowModel(),
    getPaginationRowModel: server ? undefined : getPaginationRowModel(),
  });

  const rows = table.getRowModel().rows;
  const total = server ? server.total : table.getFilteredRowModel().rows.length;
  const { pageIndex, pageSize } = table.getState().pagination;
  const first = total === 0 ? 0 : pageIndex * pageSize + 1;
  const last = Math.min(total, (pageIndex + 1) * pageSize);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));

  return (
    <div className="grid gap-2">
      {filterLabel || toolbar ? (
        <div className="flex flex-wrap items-end gap-3">
          {filterLabel && !server ? (
            <div className="grid gap-1">
              <label htmlFor={filterId} className="text-sm font-semibold text-slate-800">
                {filterLabel}
              </label>
              <input
                id={filterId}
                type="search"
                value={globalFilter}
                onChange={(e) => table.setGlobalFilter(e.target.value)}
                className="w-64 rounded-md border border-slate-500 bg-white px-2.5 py-1.5 text-sm"
              />
            </div>
          ) : null}
          {toolbar}
        </div>
      ) : null}
      <div className="overflow-x-auto rounded-md border border-slate-200">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-sand-100 text-left">
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const sorted = h.column.getIsSorted();
                  const canSort = h.column.getCanSort();
                  return (
                    <th
                      key={h.id}
                      scope="col"
                      aria-sort={
                        sorted === "asc"
                          ? "ascending"
                          : sorted === "desc"
                            ? "descending"
                            : canSort
                              ? "none"
                              : undefined
                      }
                      className="px-2 py-2 font-semibold whitespace-nowrap text-slate-800"
                    >
                      {h.isPlaceholder ? null : canSort ? (
                        <button
                          type="button"
                          onClick={h.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 rounded hover:underline"
                        >
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          <span aria-hidden="true" className="text-xs text-slate-500">
                            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                          </span>
                        </button>
                      ) : (
                        flexRender(h.column.columnDef.header, h.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="px-2 py-4 text-center text-slate-600">
                  {emptyText}
                </td>
              </tr>
            ) : (
              rows.map((r) => (
                <tr
                  key={r.id}
                  className={`border-t border-slate-200 align-top odd:bg-white even:bg-sand-50 ${rowClassName?.(r.original) ?? ""}`}
                >
                  {r.getVisibleCells().map((c) => (
                    <td key={c.id} className="px-2 py-1.5">
                      {flexRender(c.column.columnDef.cell, c.getContext())}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav
        aria-label={`${caption} pages`}
        className="flex flex-wrap items-center justify-between gap-2 text-sm"
      >
        <p aria-live="polite">
          {total === 0 ? "No rows" : `Showing ${count(first)}–${count(last)} of ${count(total)}`}
        </p>
        <div className="flex items-center gap-2">
          <label className="flex items-center gap-1">
            <span>Rows per page</span>
            <select
              value={pageSize}
              onChange={(e) => table.setPageSize(Number(e.target.value))}
              className="rounded-md border border-slate-500 bg-white px-1 py-1"
            >
              {[10, 20, 50, 100].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className={btnSecondary}
            onClick={() => table.previousPage()}
            disabled={pageIndex === 0}
          >
            Previous
          </button>
          <span>
            Page {pageIndex + 1} of {pageCount}
          </span>
          <button
            type="button"
            className={btnSecondary}
            onClick={() => table.nextPage()}
            disabled={pageIndex + 1 >= pageCount}
          >
            Next
          </button>
        </div>
      </nav>
    </div>
  );
}
