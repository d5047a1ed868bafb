"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/react";
import { ConfirmDialog } from "./confirm-dialog";
import { DataTable } from "./data-table";
import { PagedTable, usePaging } from "./paged-table";
import { errorMessage } from "@/trpc/errors";
import { count, when } from "./format";
import type { AdminOutputs } from "./types";
import { Alert, Badge, btnSecondary, Loading, PageTitle, Section, Select } from "./ui";

type Job = AdminOutputs["jobs"]["failed"]["items"][number];
type TaskRow = AdminOutputs["jobs"]["stats"]["tasks"][number];

export function JobsPanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const stats = useQuery({ ...trpc.admin.jobs.stats.queryOptions(), refetchInterval: 10_000 });
  const [task, setTask] = useState("");
  const [includeRetrying, setIncludeRetrying] = useState(false);
  const { page, pageSize, setPage, paging } = usePaging();
  /** A changed filter starts again at the first page. */
  const refilter = (change: () => void) => {
    change();
    setPage(1);
  };
  const failed = useQuery({
    ...trpc.admin.jobs.failed.queryOptions({ task: task || undefined, includeRetrying, page, pageSize }),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  const retry = useMutation(trpc.admin.jobs.retry.mutationOptions());
  const [confirm, setConfirm] = useState<Job | null>(null);

  const taskColumns = useMemo<ColumnDef<TaskRow>[]>(
    () => [
      { id: "task", header: "Task", accessorKey: "task", cell: (c) => <code>{c.row.original.task}</code> },
      { id: "ready", header: "Ready now", accessorKey: "ready" },
      { id: "scheduled", header: "Scheduled later", accessorKey: "scheduled" },
      { id: "running", header: "Running", accessorKey: "running" },
      {
        id: "failed",
        header: "Failed",
        accessorKey: "failed",
        cell: (c) => (
          <span className={c.row.original.failed ? "font-bold text-coral-700" : ""}>
            {c.row.original.failed}
          </span>
        ),
      },
    ],
    [],
  );

  const jobColumns = useMemo<ColumnDef<Job>[]>(
    () => [
      { id: "id", header: "Job", accessorKey: "id", cell: (c) => <code>{c.row.original.id}</code> },
      { id: "task", header: "Task", accessorKey: "task", cell: (c) => <code>{c.row.original.task}</code> },
      {
        id: "state",
        header: "State",
        accessorKey: "state",
        cell: (c) => <Badge value={c.row.original.state} />,
      },
      {
        id: "attempts",
        header: "Attempts",
        accessorFn: (j) => j.attempts,
        cell: (c) => `${c.row.original.attempts} / ${c.row.original.maxAttempts}`,
      },
      {
        id: "error",
        header: "Last error",
        accessorFn: (j) => j.lastError ?? "",
        cell: (c) => (
          <pre className="max-w-md overflow-x-auto text-xs whitespace-pre-wrap text-coral-700">
            {c.row.original.lastError ?? "—"}
          </pre>
        ),
      },
      {
        id: "key",
        header: "Key",
        enableSorting: false,
        cell: (c) => <code className="text-xs break-all">{c.row.original.key ?? "—"}</code>,
      },
      {
        id: "updated",
        header: "Last tried",
        accessorFn: (j) => j.updatedAt.getTime(),
        cell: (c) => when(c.row.original.updatedAt),
      },
      {
        id: "retry",
        header: "Action",
        enableSorting: false,
        cell: (c) => (
          <button
            type="button"
            className={btnSecondary}
            onClick={() => {
              retry.reset();
              setConfirm(c.row.original);
            }}
          >
            Retry<span className="sr-only"> job {c.row.original.id}</span>
          </button>
        ),
      },
    ],
    [retry],
  );

  return (
    <>
      <PageTitle sub="The graphile-worker queue. Every task is idempotent, so retrying is safe. Refreshes every 10 seconds.">
        Jobs
      </PageTitle>
      <Section title="Queue depth by task">
        {stats.isError ? <Alert>{errorMessage(stats.error)}</Alert> : null}
        {stats.isPending ? <Loading /> : null}
        {stats.data ? (
          <>
            <p className="text-sm">
              Totals: {count(stats.data.totals.ready)} ready, {count(stats.data.totals.scheduled)} scheduled,{" "}
              {count(stats.data.totals.running)} running, {count(stats.data.totals.failed)} failed.
            </p>
            <DataTable
              caption="Queue depth by task"
              columns={taskColumns}
              data={stats.data.tasks}
              getRowId={(t) => t.task}
              emptyText="The queue is empty."
            />
          </>
        ) : null}
      </Section>
      <Section title="Failed jobs">
        <div className="flex flex-wrap items-end gap-3">
          <Select label="Task" value={task} onChange={(e) => refilter(() => setTask(e.target.value))}>
            <option value="">All tasks</option>
            {(stats.data?.tasks ?? []).map((t) => (
              <option key={t.task} value={t.task}>
                {t.task}
              </option>
            ))}
          </Select>
          <label className="flex items-center gap-2 pb-2 text-sm">
            <input
              type="checkbox"
              checked={includeRetrying}
              onChange={(e) => refilter(() => setIncludeRetrying(e.target.checked))}
            />
            Also show jobs still retrying
          </label>
        </div>
        <PagedTable
          query={failed}
          caption="Failed jobs"
          columns={jobColumns}
          getRowId={(j) => j.id}
          emptyText="No failed job."
          paging={paging}
        />
      </Section>
      <ConfirmDialog
        open={confirm !== null}
        title={`Retry job ${confirm?.id ?? ""}?`}
        tone="primary"
        confirmLabel="Retry now"
        cancelLabel="Not now"
        pending={retry.isPending}
        error={retry.isError ? errorMessage(retry.error) : null}
        onClose={() => setConfirm(null)}
        onConfirm={() =>
          confirm &&
          retry.mutate(
            { jobId: confirm.id },
            {
              onSuccess: (r) => {
                toast.success(`Job ${r.jobId} (${r.task}) queued to run now.`);
                setConfirm(null);
                void qc.invalidateQueries(trpc.admin.jobs.pathFilter());
              },
              onError: (e) => toast.error(`Job not retried: ${errorMessage(e)}`),
            },
          )
        }
      >
        {confirm ? (
          <p>
            <code>{confirm.task}</code> runs again now with a fresh set of attempts. Its last error was:{" "}
            <span className="text-coral-700">{confirm.lastError ?? "none recorded"}</span>
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
