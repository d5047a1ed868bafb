"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/react";
import { ConfirmDialog } from "./confirm-dialog";
import { errorMessage } from "@/trpc/errors";
import { count, percent } from "./format";
import { routeLabel } from "./types";
import { Alert, btnDanger, btnDangerOutline, Loading, PageTitle, Section, Select } from "./ui";
import { TableHead } from "./table-head";

const BUCKET_MIN = 15;

type Point = { t: number; label: string; hitRate: number | null; hits: number; misses: number };

/** Per-minute counts → 15-minute buckets over the last 24 h; empty buckets stay empty (a gap, not 0%). */
function buckets(series: { minute: string; hits: number; misses: number }[]): Point[] {
  const size = BUCKET_MIN * 60_000;
  const end = Math.floor(Date.now() / size) * size + size;
  const start = end - 24 * 3600_000;
  const points: Point[] = [];
  const fmt = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  for (let t = start; t < end; t += size)
    points.push({ t, label: fmt.format(t), hitRate: null, hits: 0, misses: 0 });
  for (const s of series) {
    const i = Math.floor((new Date(s.minute).getTime() - start) / size);
    const p = points[i];
    if (!p) continue;
    p.hits += s.hits;
    p.misses += s.misses;
  }
  for (const p of points)
    p.hitRate = p.hits + p.misses ? Math.round((p.hits / (p.hits + p.misses)) * 1000) / 10 : null;
  return points;
}

export function CachePanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const stats = useQuery({ ...trpc.admin.cache.stats.queryOptions(), refetchInterval: 15_000 });
  const routes = useQuery(trpc.admin.schedule.routes.queryOptions());
  const [routeKey, setRouteKey] = useState("");
  const [confirm, setConfirm] = useState<"route" | "all" | null>(null);
  const clearRoute = useMutation(trpc.admin.cache.clearRoute.mutationOptions());
  const clearAll = useMutation(trpc.admin.cache.clearAll.mutationOptions());
  const data = useMemo(() => (stats.data ? buckets(stats.data.series) : []), [stats.data]);

  // One entry per port pair: the cache is keyed by from/to, whatever the operator.
  const pairs = useMemo(() => {
    const seen = new Map<string, string>();
    for (const r of routes.data ?? []) {
      const key = `${r.from.code}-${r.to.code}`;
      if (!seen.has(key)) seen.set(key, routeLabel(r).split(" · ")[0] ?? key);
    }
    return [...seen.entries()];
  }, [routes.data]);
  const chosen = routeKey || pairs[0]?.[0] || "";
  const [from, to] = chosen.split("-");
  const after = () => void qc.invalidateQueries(trpc.admin.cache.pathFilter());

  return (
    <>
      <PageTitle sub="Redis caches what searches display; Postgres decides bookings. Statistics refresh every 15 seconds.">
        Cache
      </PageTitle>
      {stats.isError ? <Alert>{errorMessage(stats.error)}</Alert> : null}
      {stats.isPending ? <Loading /> : null}
      {stats.data ? (
        <>
          <Section title="Now">
            <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
              {[
                ["Caching", stats.data.enabled ? "Enabled" : "Disabled (answering from Postgres)"],
                ["Hits (24 h)", count(stats.data.hits)],
                ["Misses (24 h)", count(stats.data.misses)],
                ["Hit rate (24 h)", percent(stats.data.hitRate)],
              ].map(([k, v]) => (
                <div key={k} className="rounded-md border border-slate-200 bg-sand-50 p-3">
                  <dt className="text-sm text-slate-700">{k}</dt>
                  <dd
                    className={`text-xl font-bold ${k === "Caching" && !stats.data.enabled ? "text-coral-700" : "text-sea-900"}`}
                  >
                    {v}
                  </dd>
                </div>
              ))}
            </dl>
            <table className="w-full max-w-xl text-sm">
              <caption className="pb-1 text-left font-semibold">By cache</caption>
              <TableHead
                className="bg-sand-100 text-left"
                cellClassName="px-2 py-1"
                cells={[
                  "Cache",
                  ["Hits", "text-right"],
                  ["Misses", "text-right"],
                  ["Hit rate", "text-right"],
                ]}
              />
              <tbody>
                {[
                  ...Object.entries(stats.data.byKind),
                  // Connected operators' entries again, per operator: which reservation system the cache spares.
                  ...Object.entries(stats.data.byOperator).map(
                    ([code, v]) => [`operator ${code}`, v] as const,
                  ),
                ].map(([k, v]) => (
                  <tr key={k} className="border-t border-slate-200">
                    <th scope="row" className="px-2 py-1 text-left font-normal">
                      {k}
                    </th>
                    <td className="px-2 py-1 text-right tabular-nums">{count(v.hits)}</td>
                    <td className="px-2 py-1 text-right tabular-nums">{count(v.misses)}</td>
                    <td className="px-2 py-1 text-right tabular-nums">
                      {percent(v.hits + v.misses ? v.hits / (v.hits + v.misses) : null)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
          <Section
            title="Hit rate over the last 24 hours"
            description={`In ${BUCKET_MIN}-minute steps, your local time. Gaps are periods without searches.`}
          >
            <figure
              aria-label={`Hit rate chart; overall ${percent(stats.data.hitRate)} over 24 hours`}
              className="h-72 w-full"
            >
              <ResponsiveContainer width="100%" height="100%">
                <AreaChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                  <XAxis dataKey="label" interval={11} tick={{ fontSize: 12 }} />
                  <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 12 }} width={48} />
                  <Tooltip
                    formatter={(v, _n, item) => {
                      const p = item.payload as Point;
                      return [`${v}% (${p.hits} hits, ${p.misses} misses)`, "Hit rate"];
                    }}
                  />
                  <Area
                    type="monotone"
                    dataKey="hitRate"
                    stroke="#0b4a72"
                    fill="#d6eaf5"
                    connectNulls={false}
                    dot={{ r: 3, fill: "#0b4a72" }}
                    isAnimationActive={false}
                  />
                </AreaChart>
              </ResponsiveContainer>
            </figure>
          </Section>
        </>
      ) : null}
      <Section title="Clear">
        <div className="flex flex-wrap items-end gap-3">
          <Select
            label="Route"
            value={chosen}
            onChange={(e) => setRouteKey(e.target.value)}
            className="min-w-48"
          >
            {pairs.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </Select>
          <button
            type="button"
            className={btnDangerOutline}
            disabled={!chosen}
            onClick={() => setConfirm("route")}
          >
            Clear this route…
          </button>
          <button type="button" className={btnDanger} onClick={() => setConfirm("all")}>
            Clear all caches…
          </button>
        </div>
      </Section>
      <ConfirmDialog
        open={confirm === "route"}
        title={`Clear the cache for ${from} → ${to}?`}
        confirmLabel="Clear route cache"
        cancelLabel="Keep it"
        pending={clearRoute.isPending}
        error={clearRoute.isError ? errorMessage(clearRoute.error) : null}
        onClose={() => setConfirm(null)}
        onConfirm={() =>
          clearRoute.mutate(
            { from: from ?? "", to: to ?? "" },
            {
              onSuccess: (r) => {
                toast.success(`Cache cleared for ${r.cleared}.`);
                setConfirm(null);
                after();
              },
              onError: (e) => toast.error(`Cache not cleared: ${errorMessage(e)}`),
            },
          )
        }
      >
        <p>The next searches on this route read from Postgres and fill the cache again.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "all"}
        title="Clear every cache?"
        confirmLabel="Clear all caches"
        cancelLabel="Keep them"
        pending={clearAll.isPending}
        error={clearAll.isError ? errorMessage(clearAll.error) : null}
        onClose={() => setConfirm(null)}
        onConfirm={() =>
          clearAll.mutate(undefined, {
            onSuccess: () => {
              toast.success("All caches cleared.");
              setConfirm(null);
              after();
            },
            onError: (e) => toast.error(`Caches not cleared: ${errorMessage(e)}`),
          })
        }
      >
        <p>Every search costs a Postgres round trip until the caches fill again. Nothing is lost.</p>
      </ConfirmDialog>
    </>
  );
}
