"use client";

import { count, percent, when } from "../format";
import type { AdminOutputs } from "../types";
import { Facts, Section } from "../ui";
import { BreakerBadge } from "./breaker-badge";
import { OperatorSettingsForm } from "./operator-settings-form";
import { TestConnection } from "./test-connection";

export type OperatorItem = AdminOutputs["operators"]["list"]["operators"][number];
export type OperatorLimits = AdminOutputs["operators"]["list"]["limits"];

const STATUS_TEXT: Record<OperatorItem["status"], string> = {
  own: "Own inventory",
  active: "Searched and booked",
  disabled: "Disabled: neither searched nor booked",
  missing_api_key: "Left out: no API key configured",
  not_loaded: "Not loaded yet in this process",
};

const ms = (v: number | null) => (v === null ? "—" : `${count(v)} ms`);

/** One operator: what it is, how it is doing in this process, and (connected only) its settings. */
export function OperatorCard({ operator: o, limits }: { operator: OperatorItem; limits: OperatorLimits }) {
  const headingId = `operator-${o.code}`;
  if (o.kind === "own") {
    return (
      <Section title={`${o.name} (${o.code})`} id={headingId}>
        <Facts items={[["Kind", "Own operator"]]} />
        <p className="text-sm text-slate-700">
          Sold from Traverse&apos;s own inventory: edit its sailings on the Schedules page and its fares on
          the Prices page. There is no connection, breaker or markup to manage.
        </p>
      </Section>
    );
  }
  const s = o.stats;
  return (
    <Section title={`${o.name} (${o.code})`} id={headingId} actions={<BreakerBadge breaker={o.breaker} />}>
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="grid content-start gap-3">
          <Facts
            items={[
              ["Kind", "Connected operator"],
              ["Status", STATUS_TEXT[o.status]],
              [
                "Base URL",
                o.baseUrl ? (
                  <span key="url">
                    <code className="break-all">{o.baseUrl}</code>{" "}
                    <span className="text-slate-600">
                      {o.baseUrlSource === "env" ? `(from ${o.urlVariable})` : `(from the operator row)`}
                    </span>
                  </span>
                ) : (
                  "—"
                ),
              ],
              ["API key", `from ${o.apiKeyVariable}`],
              ["Timeout in use", ms(o.effectiveTimeoutMs)],
            ]}
          />
          <h3 className="font-bold text-sea-900">Last 15 minutes</h3>
          {s && s.calls > 0 ? (
            <Facts
              items={[
                ["Calls", count(s.calls)],
                ["Latency p50 / p95", `${ms(s.p50Ms)} / ${ms(s.p95Ms)}`],
                ["Error rate", percent(s.errorRate)],
                ["Rate-limit hits", count(s.rateLimited)],
                ...(s.truncated
                  ? ([["Note", "More calls than the window holds: figures cover the latest ones."]] as [
                      string,
                      string,
                    ][])
                  : []),
              ]}
            />
          ) : (
            <p className="text-sm text-slate-700">
              {s
                ? "No calls in the last 15 minutes."
                : "No statistics: this process has no connector for it."}
            </p>
          )}
          {o.breaker && o.breaker.status !== "closed" ? (
            <p className="text-sm text-coral-700">
              {o.breaker.consecutiveFailures} failures in a row; opened {when(o.breaker.openedAt)}
              {o.breaker.retryAt ? `, next probe ${when(o.breaker.retryAt)}` : ""}.
            </p>
          ) : null}
          <h3 className="font-bold text-sea-900">Change feed</h3>
          <Facts
            items={[
              [
                "Cursor",
                o.sync.cursor ? (
                  <code key="cursor" className="break-all">
                    {o.sync.cursor}
                  </code>
                ) : (
                  "—"
                ),
              ],
              ["Last sync", when(o.sync.lastSyncAt)],
              [
                "Last error",
                o.sync.lastSyncError ? (
                  <span key="error" className="text-coral-700">
                    {o.sync.lastSyncError}
                  </span>
                ) : (
                  "None"
                ),
              ],
            ]}
          />
        </div>
        <div className="grid content-start gap-3">
          <OperatorSettingsForm operator={o} limits={limits} />
          <TestConnection code={o.code} name={o.name} />
        </div>
      </div>
    </Section>
  );
}
