"use client";

import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { when } from "../format";
import { Alert, Loading, PageTitle } from "../ui";
import { OperatorCard } from "./operator-card";

/**
 * The Operators page: one card per operator. Connected operators show their settings (editable), the
 * circuit breaker, call statistics of the last 15 minutes, the change feed and a connection test; own
 * operators only say where they are edited instead.
 */
export function OperatorsPanel() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.admin.operators.list.queryOptions(), refetchInterval: 15_000 });

  return (
    <>
      <PageTitle sub="Who Traverse sells: own operators from its own inventory, connected operators through their reservation systems. Refreshes every 15 seconds.">
        Operators
      </PageTitle>
      <Alert tone="info" title="This server's view">
        Breaker states and call statistics are kept by each server process. They show what the app process
        answering this page has seen; other app instances and the worker keep their own.
        {list.data ? ` Read ${when(list.data.generatedAt)}.` : null}
      </Alert>
      {list.isError ? <Alert>{errorMessage(list.error)}</Alert> : null}
      {list.isPending ? <Loading /> : null}
      {list.data
        ? list.data.operators.map((o) => <OperatorCard key={o.code} operator={o} limits={list.data.limits} />)
        : null}
    </>
  );
}
