import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exportedFamilies } from "./prom-text";

/**
 * ops/grafana/traverse.json and ops/prometheus/alerts.yml name metrics by hand: a renamed metric would
 * leave an empty panel or, worse, an alert that can never fire. Both files are parsed and every metric
 * they name must be one the registry (src/server/lib/metrics.ts) exports.
 */
const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

/** `traverse_…` names in a PromQL expression, with histogram suffixes taken back to their family. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\btraverse_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ""));
}

async function unknownIn(exprs: string[]): Promise<string[]> {
  const families = await exportedFamilies();
  return [...new Set(exprs.flatMap(metricNames))].filter((n) => !families.has(n));
}

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

describe("the Grafana dashboard", () => {
  const dashboard = JSON.parse(read("ops/grafana/traverse.json")) as {
    title: string;
    uid: string;
    panels: Panel[];
    __inputs: { name: string; type: string; pluginId: string }[];
  };
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== "row");
  const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

  it("is importable: a title, a uid and a Prometheus data source input", () => {
    expect(dashboard.title).toBe("Traverse");
    expect(dashboard.uid).toMatch(/^[a-z0-9-]+$/);
    expect(dashboard.__inputs).toContainEqual(expect.objectContaining({ pluginId: "prometheus" }));
    for (const p of panels) expect(p.targets?.length, p.title).toBeGreaterThan(0);
  });

  it("names only exported metrics, and shows every promise and machine the operators watch", async () => {
    expect(await unknownIn(exprs)).toEqual([]);
    const named = new Set(exprs.flatMap(metricNames));
    for (const m of [
      "traverse_http_request_duration_seconds",
      "traverse_cache_requests_total",
      "traverse_payment_confirmation_seconds",
      "traverse_email_delivery_seconds",
      "traverse_jobs_pending",
      "traverse_cache_breaker_open",
      "traverse_operator_request_duration_seconds",
    ]) {
      expect(named.has(m), m).toBe(true);
    }
  });
});

describe("the Prometheus alert rules", () => {
  const file = parse(read("ops/prometheus/alerts.yml")) as {
    groups: { name: string; rules: { alert: string; expr: string; for?: string }[] }[];
  };
  const rules = file.groups.flatMap((g) => g.rules);

  it("name only exported metrics", async () => {
    expect(rules.length).toBeGreaterThan(0);
    expect(await unknownIn(rules.map((r) => r.expr))).toEqual([]);
  });

  it("cover the promised delays, the queue, the breaker and the worker heartbeat", () => {
    const rule = (metric: string) => rules.find((r) => r.expr.includes(metric));
    expect(rule("traverse_payment_confirmation_seconds_bucket")?.expr).toMatch(
      /histogram_quantile\(0\.95,[\s\S]*> 30\b/,
    );
    expect(rule("traverse_email_delivery_seconds_bucket")?.expr).toMatch(
      /histogram_quantile\(0\.95,[\s\S]*> 60\b/,
    );
    expect(rule("traverse_jobs_pending")?.for).toBe("10m");
    expect(rule("traverse_cache_breaker_open")?.for).toBe("5m");
    expect(rule("traverse_worker_heartbeat_timestamp_seconds")?.expr).toContain("absent(");
    for (const r of rules) expect(r.alert, r.expr).toMatch(/^Traverse[A-Za-z]+$/);
  });
});
