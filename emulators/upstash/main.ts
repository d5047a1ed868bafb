import { parseArgs } from "node:util";
import { startUpstashEmulator } from "./server";
import { onParentGone } from "../shared/process";

/**
 * CLI: `tsx emulators/upstash/main.ts --port 8079 --token dev --redis-url redis://127.0.0.1:6379`
 * Flags only: the project reads the environment in src/env.ts alone, and the caller (scripts/dev.ts)
 * passes REDIS_URL and the token through from there.
 */

const USAGE = "usage: main.ts --token <token> [--port 8079] [--host 127.0.0.1] [--redis-url redis://…]";

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { port?: string; host?: string; token?: string; "redis-url"?: string };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", default: "8079" },
        host: { type: "string", default: "127.0.0.1" },
        token: { type: "string" },
        "redis-url": { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port: ${values.port}`);
  if (!values.token) fail("--token is required");

  const emulator = await startUpstashEmulator({
    port,
    host: values.host,
    token: values.token,
    redisUrl: values["redis-url"],
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`upstash emulator listening on ${emulator.url} (backend: ${emulator.backend})\n`);

  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  onParentGone(stop);
}

main().catch((error: unknown) => {
  // e.g. EADDRINUSE: say why, and exit non-zero so the dev script notices.
  process.stderr.write(
    `upstash emulator failed to start: ${error instanceof Error ? error.message : error}\n`,
  );
  process.exit(1);
});
