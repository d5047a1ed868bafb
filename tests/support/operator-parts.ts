import { DEVELOPMENT_OPERATOR_WEBHOOK_SECRET, operatorUrlOverride, operatorWebhookSecret } from "@/env";
import { waitPort } from "./ports";
import type { ManagedProcess } from "./process";

/** The connected operators every stack runs an emulator for (emulators/operator). */
export const STACK_OPERATORS = ["GNV", "GRM"] as const;
export type StackOperator = (typeof STACK_OPERATORS)[number];

/**
 * Per-call delay of the operator emulators: "off" (the tests' default: a test that needs latency sets it
 * through the emulator's control API), "realistic" (the emulator's own 300–1200 ms, what `npm run dev` and
 * the benchmarks use) or a range.
 */
export type OperatorLatency = "off" | "realistic" | { minMs: number; maxMs: number };

export interface OperatorParts {
  /** The emulator processes (none for an operator whose URL the environment configures, in dev). */
  processes: Partial<Record<StackOperator, ManagedProcess>>;
  urls: Record<StackOperator, string>;
  /** OPERATOR_<CODE>_URL for the app and the worker: it wins over the operator rows' base URL. */
  vars: Record<string, string>;
  notes: string[];
}

/**
 * One emulator process per connected operator, declared (not started) through `part`, as the other
 * emulators are. With `configured`, an operator whose OPERATOR_<CODE>_URL is set keeps that URL instead.
 */
export function operatorParts(opts: {
  ports: Record<StackOperator, number>;
  latency: OperatorLatency;
  configured: boolean;
  echo: boolean;
  /** The app's URL: each emulator pushes its changes, signed, to `<appUrl>/api/webhooks/operators/<code>`. */
  appUrl: string;
  part: (name: string, args: string[], ready: (p: ManagedProcess) => Promise<void>) => ManagedProcess;
}): OperatorParts {
  const { latency } = opts;
  const latencyArg =
    latency === "off" ? "off" : latency === "realistic" ? null : `${latency.minMs}-${latency.maxMs}`;
  const out: OperatorParts = {
    processes: {},
    urls: {} as Record<StackOperator, string>,
    vars: {},
    notes: [],
  };
  for (const code of STACK_OPERATORS) {
    const configured = opts.configured ? operatorUrlOverride(code) : undefined;
    if (configured) {
      out.urls[code] = configured;
      out.vars[`OPERATOR_${code}_URL`] = configured;
      out.notes.push(`Operator ${code}: ${configured} (configured)`);
      continue;
    }
    const port = opts.ports[code];
    const args = [
      ...["--import", "tsx", "emulators/operator/main.ts", "--code", code, "--port", String(port)],
      ...(latencyArg ? ["--latency", latencyArg] : []),
      ...["--webhook-url", `${opts.appUrl}/api/webhooks/operators/${code}`],
      // The stack's app runs in test or development mode, where this is the secret it checks pushes with
      // (the process starting the stack may itself be in production mode, which has no development secret).
      ...["--webhook-secret", operatorWebhookSecret(code) ?? DEVELOPMENT_OPERATOR_WEBHOOK_SECRET],
      ...(opts.echo ? [] : ["--quiet"]),
    ];
    out.processes[code] = opts.part(code.toLowerCase(), args, (mp) =>
      waitPort(port, 30_000, () => mp.running),
    );
    const url = `http://127.0.0.1:${port}`;
    out.urls[code] = url;
    out.vars[`OPERATOR_${code}_URL`] = url;
    out.notes.push(`Operator ${code} emulator on ${url} (latency ${latencyArg ?? "300-1200"} ms)`);
  }
  return out;
}
