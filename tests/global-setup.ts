import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { deleteTestRunKeys } from "./helpers/cache";
import { prepareTestDatabaseServer } from "./helpers/test-database-server";

/**
 * Runs once per `vitest run`: finds a PostgreSQL (DATABASE_URL, else an embedded one under .data/) and
 * builds a migrated template database. Each test file then clones the template into its own database,
 * so files run in parallel without seeing each other's rows. Names carry a per-run id, so two runs on
 * the same server (two engineers, or CI and a benchmark) never drop each other's databases. Cache tests
 * share the Redis at REDIS_URL the same way: their keys carry the run id (tests/helpers/cache.ts).
 */
export default async function setup(project: TestProject) {
  const runId = randomBytes(3).toString("hex");
  const server = await prepareTestDatabaseServer(runId);
  project.provide("testDatabase", { adminUrl: server.adminUrl, template: server.template, runId });
  return async () => {
    await server.stop();
    await deleteTestRunKeys(runId);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: { adminUrl: string; template: string; runId: string };
  }
}
