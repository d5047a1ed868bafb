"use client";

import { useQuery } from "@tanstack/react-query";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "@/trpc/errors";
import { count } from "./format";
import type { AdminOutputs } from "./types";
import { Alert, Loading, PageTitle, Section } from "./ui";

interface Hour {
  hour: string;
  count: number;
  p50: number | null;
  p95: number | null;
}
interface Summary {
  count: number;
  p50: number | null;
  p95: number | null;
}

const hourLabel = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const secs = (v: number | null) => (v === null ? "–" : `${v.toLocaleString("en-GB")} s`);

/** What both percentile lines share: hourly points joined straight, gaps left open, drawn at once. */
const LINE = { type: "monotone", connectNulls: false, dot: { r: 3 }, isAnimationActive: false } as const;

/**
 * The delays travellers lived through over the last 24 hours, hour by hour, next to the promise: the
 * promised band is shaded, p50 and p95 are lines. The same figures are in a table below each chart, for
 * screen readers and for copying.
 */

function DelayChart({
  title,
  what,
  hours,
  overall,
  promised,
}: {
  title: string;
  what: string;
  hours: Hour[];
  overall: Summary;
  promised: { from: number; to: number };
}) {
  const data = hours.map((h) => ({ ...h, label: hourLabel.format(new Date(h.hour)) }));
  const verdict =
    overall.p95 === null
      ? "No data in the last 24 hours."
      : overall.p95 <= promised.to
        ? `Within the promise: p95 ${secs(overall.p95)} ≤ ${promised.to} s.`
        : `Outside the promise: p95 ${secs(overall.p95)} > ${promised.to} s.`;
  return (
    <Section
      title={title}
      description={
        <>
          {what} Promised: {promised.from}–{promised.to} s (shaded). Hours in your local time; gaps are hours
          without any.
        </>
      }
    >
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {[
          ["Count (24 h)", count(overall.count)],
          ["p50 (24 h)", secs(overall.p50)],
          ["p95 (24 h)", secs(overall.p95)],
          ["Promise", `${promised.from}–${promised.to} s`],
        ].map(([k, v]) => (
          <div key={k} className="rounded-md border border-slate-200 bg-sand-50 p-3">
            <dt className="text-sm text-slate-700">{k}</dt>
            <dd className="text-xl font-bold text-sea-900">{v}</dd>
          </div>
        ))}
      </dl>
      <p
        className={`text-sm font-semibold ${overall.p95 !== null && overall.p95 > promised.to ? "text-coral-700" : "text-sea-900"}`}
      >
        {verdict}
      </p>
      <figure
        aria-label={`${title} chart, hour by hour: p50 and p95 in seconds against the promised ${promised.from}–${promised.to} s`}
        className="h-72 w-full"
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <ReferenceArea y1={promised.from} y2={promised.to} fill="#d1fae5" fillOpacity={0.6} />
            <XAxis dataKey="label" interval={3} tick={{ fontSize: 12 }} />
            <YAxis unit=" s" tick={{ fontSize: 12 }} width={56} allowDecimals={false} />
            <Tooltip formatter={(v, name) => [secs(typeof v === "number" ? v : null), String(name)]} />
            <Legend />
            <Line {...LINE} dataKey="p50" name="p50" stroke="#0b4a72" />
            <Line {...LINE} dataKey="p95" name="p95" stroke="#c2410c" strokeDasharray="6 3" />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <details>
        <summary className="cursor-pointer text-sm font-semibold text-sea-700">Hour by hour (table)</summary>
        <table className="mt-2 w-full max-w-xl text-sm">
          <caption className="sr-only">{title}, hour by hour</caption>
          <thead className="bg-sand-100 text-left">
            <tr>
              <th scope="col" className="px-2 py-1">
                Hour
              </th>
              {["Count", "p50", "p95"].map((h) => (
                <th key={h} scope="col" className="px-2 py-1 text-right">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data
              .filter((h) => h.count > 0)
              .map((h) => (
                <tr key={h.hour} className="border-t border-slate-200">
                  <th scope="row" className="px-2 py-1 text-left font-normal">
                    {h.label}
                  </th>
                  <td className="px-2 py-1 text-right tabular-nums">{count(h.count)}</td>
                  <td className="px-2 py-1 text-right tabular-nums">{secs(h.p50)}</td>
                  <td className="px-2 py-1 text-right tabular-nums">{secs(h.p95)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </Section>
  );
}

type Delays = AdminOutputs["operations"]["delays"];

/** One measured delay's hourly points, 24-hour figures and promise. */
function measureOf(d: Delays, key: "confirmation" | "email") {
  return { hours: d[key], overall: d.overall[key], promised: d.promised[key] };
}

export function OperationsPanel() {
  const trpc = useTRPC();
  const delays = useQuery({ ...trpc.admin.operations.delays.queryOptions(), refetchInterval: 60_000 });
  return (
    <>
      <PageTitle sub="How long travellers waited over the last 24 hours, against what the site promises. Refreshes every minute.">
        Operations
      </PageTitle>
      {delays.isError ? <Alert>{errorMessage(delays.error)}</Alert> : null}
      {delays.isPending ? <Loading /> : null}
      {delays.data ? (
        <>
          <DelayChart
            title="Payment to confirmation"
            what="From Stripe's payment event reaching Traverse to the booking confirmed."
            {...measureOf(delays.data, "confirmation")}
          />
          <DelayChart
            title="Email delivery"
            what="From an email queued to Resend accepting it, for every kind of email."
            {...measureOf(delays.data, "email")}
          />
        </>
      ) : null}
    </>
  );
}
