"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/trpc/errors";
import { dateTime } from "./format";
import { Alert, btnPrimary, Input, Loading, PageTitle, Section, Select } from "./ui";

/** The answer of POST /api/checkin (server/features/tickets/checkin.ts `CheckInResult`), as JSON. */
interface CheckInAnswer {
  result?: "valid" | "invalid" | "already_used";
  message?: string;
  error?: string;
  reference?: string;
  passenger?: { firstName: string; lastName: string; type: string };
  leg?: { from: string; to: string; departureAt: string; timeZone: string };
  checkedInAt?: string;
}

async function scan(code: string, sailingId: number): Promise<CheckInAnswer> {
  const res = await fetch("/api/checkin", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code, sailingId }),
  });
  const body = (await res.json().catch(() => ({}))) as CheckInAnswer;
  if (!res.ok) throw new Error(body.error ?? `The check-in service answered ${res.status}.`);
  return body;
}

function Outcome({ answer }: { answer: CheckInAnswer }) {
  const who = answer.passenger ? `${answer.passenger.firstName} ${answer.passenger.lastName}` : null;
  const leg = answer.leg
    ? `${answer.leg.from} → ${answer.leg.to}, ${dateTime(answer.leg.departureAt, answer.leg.timeZone)}`
    : null;
  const facts = [who, answer.reference, leg].filter(Boolean).join(" · ");
  if (answer.result === "valid") {
    return (
      <Alert tone="success" title="Board">
        {facts}
      </Alert>
    );
  }
  return (
    <Alert title={answer.result === "already_used" ? "Already boarded" : "Do not board"}>
      <p>{answer.message}</p>
      {facts ? <p>{facts}</p> : null}
    </Alert>
  );
}

/**
 * Check-in desk: choose the sailing being boarded, then scan (or type) each boarding code. A code for
 * another sailing, or outside the boarding window, is refused by the server with the reason.
 */
export function CheckinPanel() {
  const trpc = useTRPC();
  const sailings = useQuery(trpc.admin.checkin.sailings.queryOptions());
  const [sailingId, setSailingId] = useState("");
  const [code, setCode] = useState("");
  const check = useMutation({
    mutationFn: (v: { code: string; sailingId: number }) => scan(v.code, v.sailingId),
    onSuccess: () => setCode(""),
  });

  return (
    <>
      <PageTitle sub="Boarding codes are checked against the sailing you choose and its boarding window.">
        Check-in
      </PageTitle>
      <Section title="Scan a boarding code">
        {sailings.isError ? <Alert>{errorMessage(sailings.error)}</Alert> : null}
        {sailings.isPending ? (
          <Loading what="Loading sailings…" />
        ) : (
          <form
            className="grid gap-3 md:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] md:items-end"
            onSubmit={(e) => {
              e.preventDefault();
              if (sailingId && code.trim()) check.mutate({ code: code.trim(), sailingId: Number(sailingId) });
            }}
          >
            <Select
              label="Sailing being boarded"
              value={sailingId}
              onChange={(e) => setSailingId(e.target.value)}
              required
            >
              <option value="">Choose a sailing</option>
              {(sailings.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {`${s.from} → ${s.to} · ${dateTime(s.departureAt, s.timeZone)} · ${s.vessel}${s.boardingOpen ? "" : " (boarding not open yet)"}`}
                </option>
              ))}
            </Select>
            <Input
              label="Boarding code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              maxLength={512}
              required
            />
            <button
              type="submit"
              className={btnPrimary}
              disabled={!sailingId || !code.trim() || check.isPending}
            >
              {check.isPending ? "Checking…" : "Check in"}
            </button>
          </form>
        )}
        {sailings.data?.length === 0 ? (
          <Alert tone="info">No sailing departs in the next twelve hours.</Alert>
        ) : null}
        <div aria-live="polite">
          {check.isError ? <Alert>{errorMessage(check.error)}</Alert> : null}
          {check.data ? <Outcome answer={check.data} /> : null}
        </div>
      </Section>
    </>
  );
}
