import { execSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { UNITS } from "./mutation-units.mjs";

/**
 * Condenses Stryker's reports (reports/mutation/<module>/mutation.json, git-ignored, several MB each) into
 * the small docs/mutation-summary.json that docs/testing.md quotes: the score per module and per file, and
 * every surviving or uncovered mutant with its place and replacement. Run by `npm run test:mutation` after
 * Stryker; `npx tsx scripts/mutation-summary.ts` re-renders it from the last reports.
 */
interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
  /** The test files that ran (the unit's list when the report was written, which may have changed since). */
  testFiles?: Record<string, unknown>;
}

const MODULES: [string, RegExp][] = [
  ["cache", /features\/cache\//],
  ["booking", /features\/booking\//],
  ["payments", /features\/payments\//],
];

type Counts = Record<"killed" | "timeout" | "survived" | "noCoverage" | "ignored" | "errors", number>;
const empty = (): Counts => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 });

function add(c: Counts, status: string) {
  if (status === "Killed") c.killed++;
  else if (status === "Timeout") c.timeout++;
  else if (status === "Survived") c.survived++;
  else if (status === "NoCoverage") c.noCoverage++;
  else if (status === "Ignored") c.ignored++;
  else c.errors++; // CompileError, RuntimeError: not valid mutants, not counted in the score
}

/** The mutated source text (Stryker's columns are 1-based), first line only when it spans several. */
function snippet(lines: string[], loc: Mutant["location"]): string {
  const first = lines[loc.start.line - 1] ?? "";
  const end = loc.end.line === loc.start.line ? loc.end.column - 1 : first.length;
  return first
    .slice(loc.start.column - 1, end)
    .replace(/\s+/g, " ")
    .slice(0, 120);
}

/** Stryker's mutation score: detected / (detected + undetected), in percent with one decimal. */
function score(c: Counts): number | null {
  const detected = c.killed + c.timeout;
  const valid = detected + c.survived + c.noCoverage;
  return valid === 0 ? null : Math.round((1000 * detected) / valid) / 10;
}

const report: Report = { files: {} };
const unitOf = new Map<string, string>();
const runs: Record<string, string | null> = {};
const ranTests: Record<string, string[]> = {};
for (const unit of Object.keys(UNITS)) {
  const path = `reports/mutation/${unit}/mutation.json`;
  if (!existsSync(path)) {
    runs[unit] = null;
    continue;
  }
  runs[unit] = statSync(path).mtime.toISOString();
  const parsed = JSON.parse(readFileSync(path, "utf8")) as Report;
  const own = parsed.files;
  ranTests[unit] = Object.keys(parsed.testFiles ?? {}).sort();
  for (const file of Object.keys(own)) unitOf.set(file, unit);
  Object.assign(report.files, own);
}
const perUnit = new Map<string, Counts>();
const perModule = Object.fromEntries(MODULES.map(([m]) => [m, empty()])) as Record<string, Counts>;
const total = empty();
const files: Record<string, Counts & { score: number | null }> = {};
const undetected: {
  file: string;
  line: number;
  mutator: string;
  status: string;
  original: string;
  replacement: string;
}[] = [];

for (const [file, f] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const module = MODULES.find(([, re]) => re.test(file))?.[0];
  const c = empty();
  const lines = f.source.split("\n");
  for (const m of f.mutants) {
    add(c, m.status);
    add(total, m.status);
    if (module) add(perModule[module]!, m.status);
    const unit = unitOf.get(file)!;
    if (!perUnit.has(unit)) perUnit.set(unit, empty());
    add(perUnit.get(unit)!, m.status);
    if (m.status === "Survived" || m.status === "NoCoverage") {
      const line = m.location.start.line;
      undetected.push({
        file,
        line,
        mutator: m.mutatorName,
        status: m.status,
        original: snippet(lines, m.location),
        replacement: (m.replacement ?? "").replace(/\s+/g, " ").slice(0, 120),
      });
    }
  }
  files[file] = { ...c, score: score(c) };
}

let commit = "unknown";
try {
  commit = execSync("git rev-parse --short=12 HEAD", { encoding: "utf8" }).trim();
} catch {
  // Not a git checkout: the summary is still worth writing.
}
const summary = {
  generatedAt: new Date().toISOString(),
  commit,
  /** When each unit's report was written (null: that unit has not been run). */
  runs,
  note: "score = (killed + timeout) / (killed + timeout + survived + noCoverage); ignored = static mutants",
  total: { ...total, score: score(total) },
  modules: Object.fromEntries(Object.entries(perModule).map(([m, c]) => [m, { ...c, score: score(c) }])),
  units: Object.fromEntries(
    Object.keys(UNITS)
      .filter((u) => perUnit.has(u))
      .map((u) => [u, { testFiles: ranTests[u] ?? [], ...perUnit.get(u)!, score: score(perUnit.get(u)!) }]),
  ),
  files,
  undetected,
};
writeFileSync("docs/mutation-summary.json", `${JSON.stringify(summary, null, 2)}\n`);
for (const [m, c] of [...Object.entries(summary.units), ...Object.entries(summary.modules)]) {
  console.log(
    `${m.padEnd(18)} score ${c.score ?? "-"}%  killed ${c.killed} timeout ${c.timeout} survived ${c.survived} no-coverage ${c.noCoverage} ignored ${c.ignored}`,
  );
}
console.log(
  `overall            score ${summary.total.score ?? "-"}%  (${undetected.length} undetected) → docs/mutation-summary.json`,
);

// `--markdown`: the tables docs/testing.md shows, printed for pasting.
if (process.argv.includes("--markdown")) {
  const row = (name: string, c: Counts & { score: number | null }) =>
    `| ${name} | ${c.score ?? "–"} % | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} | ${c.ignored} |`;
  const head =
    "| | score | killed | timed out | survived | not covered | ignored (static) |\n|---|---|---|---|---|---|---|";
  console.log(`\n${head}`);
  for (const [u, c] of Object.entries(summary.units)) console.log(row(`unit ${u}`, c));
  for (const [m, c] of Object.entries(summary.modules)) console.log(row(`**${m}**`, c));
  console.log(row("**overall**", summary.total));
  console.log(`\n${head}`);
  for (const [f, c] of Object.entries(summary.files))
    console.log(row(`\`${f.replace("src/server/features/", "")}\``, c));
}
