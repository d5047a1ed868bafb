// CLI: `tsx emulators/operator/main.ts --code GNV [--port 12401] [--host 127.0.0.1] [--api-key K]
// [--latency 300-1200 | --latency off] [--rate-limit 20 | off] [--seed 1] [--webhook-url U --webhook-secret S]
// [--provisional-minutes 45] [--quiet]`.
// Flags only: the project reads environment variables in src/env.ts and nowhere else.
import { parseArgs } from "node:util";
import { OPERATOR_EMULATOR_PORTS, startOperatorEmulator } from "./server";
import { type OperatorCode, operatorCodes } from "./types";
import { runMain, stopOnSignals } from "../shared/process";

const USAGE = `usage: tsx emulators/operator/main.ts --code GNV|GRM [--port N] [--host H] [--api-key K]
  [--latency MIN-MAX|off] [--rate-limit N|off] [--seed N] [--webhook-url URL --webhook-secret S]
  [--provisional-minutes N] [--quiet]`;

function fail(message: string): never {
  console.error(`operator emulator: ${message}\n${USAGE}`);
  process.exit(2);
}

function integer(flag: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) fail(`--${flag} must be a whole number ≥ ${min}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      code: { type: "string" },
      port: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      "api-key": { type: "string" },
      latency: { type: "string" },
      "rate-limit": { type: "string" },
      seed: { type: "string", default: "1" },
      "webhook-url": { type: "string" },
      "webhook-secret": { type: "string" },
      "provisional-minutes": { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const code = values.code?.toUpperCase();
  if (!code || !(operatorCodes as readonly string[]).includes(code)) fail("--code must be GNV or GRM");
  const operator = code as OperatorCode;

  let latency: { minMs: number; maxMs: number } | null | undefined;
  if (values.latency === "off") latency = null;
  else if (values.latency !== undefined) {
    const match = /^(\d+)-(\d+)$/.exec(values.latency);
    if (!match || Number(match[1]) > Number(match[2])) fail("--latency is MIN-MAX in milliseconds, or off");
    latency = { minMs: Number(match[1]), maxMs: Number(match[2]) };
  }
  const rate = values["rate-limit"];
  const perSecond = rate === undefined || rate === "off" ? 0 : integer("rate-limit", rate, 1);
  if ((values["webhook-url"] === undefined) !== (values["webhook-secret"] === undefined)) {
    fail("--webhook-url and --webhook-secret go together");
  }

  const emulator = await startOperatorEmulator({
    code: operator,
    port: values.port === undefined ? OPERATOR_EMULATOR_PORTS[operator] : integer("port", values.port, 0),
    host: values.host,
    apiKey: values["api-key"],
    latency,
    rateLimit: rate === undefined ? undefined : rate === "off" ? null : { perSecond, burst: perSecond },
    seed: integer("seed", values.seed, 0),
    webhook:
      values["webhook-url"] && values["webhook-secret"]
        ? { url: values["webhook-url"], secret: values["webhook-secret"] }
        : null,
    provisionalMinutes:
      values["provisional-minutes"] === undefined
        ? undefined
        : integer("provisional-minutes", values["provisional-minutes"], 1),
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  console.log(`operator emulator ${operator}: API on ${emulator.url}/ferrygateway/v1`);

  stopOnSignals("operator emulator", () => emulator.close());
}

runMain("operator emulator", main);
