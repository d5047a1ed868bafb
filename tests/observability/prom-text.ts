import { metrics } from "@/server/lib/metrics";

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line is a HELP or TYPE
 * comment or a sample `name{label="value",…} number`. Throws on anything else, so a test that reads an
 * endpoint through it fails when the endpoint is not Prometheus text.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)( -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("# HELP ")) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? "").matchAll(LABEL)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  if (types.size === 0) throw new Error("no # TYPE lines: not Prometheus text");
  return { samples, types };
}

/** Sum of a metric's samples (a histogram's `_count`, `_sum`…) whose labels include `labels`. */
export async function metricValue(name: string, labels: Record<string, string> = {}): Promise<number> {
  const { samples } = parsePrometheusText(await metrics().registry.metrics());
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Every metric family name the registry exports. */
export async function exportedFamilies(): Promise<Set<string>> {
  const json = await metrics().registry.getMetricsAsJSON();
  return new Set(json.map((m) => m.name));
}
