"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "@/trpc/errors";
import { DataTable, type DataTableProps, type ServerPaging } from "./data-table";
import { Alert, Loading } from "./ui";

/** One page of a list the API pages (`{ items, page, pageSize, total }`). */
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/**
 * A server-paged list as every admin list shows it: the error if the query failed, "Loading…" while it runs,
 * then the page in a `DataTable` whose pager reports back to the caller.
 */
export function PagedTable<T>({
  query,
  loading,
  paging,
  ...table
}: Omit<DataTableProps<T>, "data" | "server"> & {
  query: UseQueryResult<Page<T>, unknown>;
  /** What is loading, e.g. "Searching…". */
  loading?: string;
  paging: Pick<ServerPaging, "onPageChange" | "onPageSizeChange" | "sorting" | "onSortingChange">;
}) {
  return (
    <>
      {query.isError ? <Alert>{errorMessage(query.error)}</Alert> : null}
      {query.isPending ? (
        <Loading what={loading} />
      ) : query.data ? (
        <DataTable
          {...table}
          data={query.data.items}
          server={{
            page: query.data.page,
            pageSize: query.data.pageSize,
            total: query.data.total,
            ...paging,
          }}
        />
      ) : null}
    </>
  );
}

/** Page and page size of a server-paged list; a new page size starts again at page 1. */
export function usePaging(initialPageSize = 20) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);
  return {
    page,
    pageSize,
    setPage,
    paging: {
      onPageChange: setPage,
      onPageSizeChange: (n: number) => {
        setPageSize(n);
        setPage(1);
      },
    },
  };
}
