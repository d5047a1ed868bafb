import { createServices, type Services } from "./services";

// One Services per app process. Next.js dev reloads modules, so it lives on globalThis like a pool would.
const g = globalThis as unknown as { __traverseServices?: Services };

/**
 * The app's Services, built from the environment on first use: what route handlers, server components
 * and the tRPC context hand to features. Features never call this; they are handed `svc`.
 */
export function appServices(): Services {
  g.__traverseServices ??= createServices();
  return g.__traverseServices;
}

/** Closes the app's Services and forgets them (tests that load the route handlers; a clean shutdown). */
export async function closeAppServices(): Promise<void> {
  const svc = g.__traverseServices;
  g.__traverseServices = undefined;
  await svc?.close();
}
