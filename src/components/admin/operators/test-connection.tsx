"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { errorMessage } from "@/trpc/errors";
import { useTRPC } from "@/trpc/react";
import { count, when } from "../format";
import type { AdminOutputs } from "../types";
import { btnSecondary } from "../ui";

type Result = AdminOutputs["operators"]["testConnection"];

const KIND_TEXT: Record<string, string> = {
  timeout: "no answer within the timeout",
  unavailable: "the operator is unavailable (server error or connection refused)",
  rate_limited: "rate limited by the operator",
  refused: "the operator refused the request",
  bad_response: "the answer did not match the contract",
  circuit_open: "not sent: the breaker is open after repeated failures",
  missing_api_key: "no API key is configured",
};

function resultText(r: Result): string {
  if (r.ok) return `Connected in ${count(r.ms)} ms: ${r.routes} route${r.routes === 1 ? "" : "s"} listed.`;
  const detail = [r.errorCode, r.status ? `HTTP ${r.status}` : null].filter(Boolean).join(", ");
  const retry = r.retryAfterSeconds ? ` Retry after ${r.retryAfterSeconds} s.` : "";
  return `After ${count(r.ms)} ms: ${KIND_TEXT[r.kind] ?? r.kind}${detail ? ` (${detail})` : ""}.${retry}`;
}

/**
 * One cheap call to the operator (its route list) through the same connector search and booking use.
 * The result stays on the page in a live region until the next test.
 */
export function TestConnection({ code, name }: { code: string; name: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const test = useMutation(
    trpc.admin.operators.testConnection.mutationOptions({
      // The call counts in the statistics and may move the breaker: show that at once.
      onSettled: () => void qc.invalidateQueries(trpc.admin.operators.list.pathFilter()),
    }),
  );
  const r = test.data;
  return (
    <div className="grid content-start gap-2 rounded-md border border-slate-200 p-3">
      <h3 className="font-bold text-sea-900">Connection</h3>
      <div>
        <button
          type="button"
          className={btnSecondary}
          disabled={test.isPending}
          aria-busy={test.isPending}
          onClick={() => test.mutate({ code })}
        >
          {test.isPending ? "Testing…" : `Test connection to ${code}`}
        </button>
      </div>
      <p role="status" aria-live="polite" className="text-sm" data-testid={`test-result-${code}`}>
        {test.isPending ? (
          <span className="text-slate-700">Calling {name}…</span>
        ) : test.isError ? (
          <span className="text-coral-700">Could not test: {errorMessage(test.error)}</span>
        ) : r ? (
          <span className={r.ok ? "text-emerald-900" : "text-coral-700"}>
            <span className="font-semibold">{r.ok ? "OK. " : "Failed. "}</span>
            {resultText(r)} <span className="text-slate-600">({when(r.at)})</span>
          </span>
        ) : null}
      </p>
      {r && !r.ok ? <p className="text-xs text-slate-600">{r.message}</p> : null}
    </div>
  );
}
