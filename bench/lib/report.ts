import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface Row {
  scenario: string;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  rps: number | null;
  requests: number;
  errors: number;
  note?: string;
}

const fmt = (v: number | null, digits = 1) => (v === null ? "–" : v.toFixed(digits));

/** Prints one aligned table and writes the same figures as JSON under bench/results/. */
export function report(name: string, rows: Row[], checks: Record<string, unknown> = {}): void {
  const header = ["scenario", "p50 ms", "p95 ms", "p99 ms", "req/s", "requests", "errors", "note"];
  const lines = rows.map((r) => [
    r.scenario,
    fmt(r.p50),
    fmt(r.p95),
    fmt(r.p99),
    fmt(r.rps, 0),
    String(r.requests),
    String(r.errors),
    r.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const show = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(`\n${name}`);
  console.log(show(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(show(l));
  if (Object.keys(checks).length) {
    console.log("\nchecks:");
    for (const [k, v] of Object.entries(checks))
      console.log(`  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  }
  const dir = path.join(process.cwd(), "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.json`);
  writeFileSync(
    file,
    JSON.stringify({ name, at: new Date().toISOString(), node: process.version, rows, checks }, null, 2),
  );
  console.log(`\n(written to ${path.relative(process.cwd(), file)})`);
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}
