import type { TestProject } from "vitest/node";
import { prepareTestDatabaseServer } from "./helpers/test-database-server";

/**
 * Runs once per `vitest run`: finds a PostgreSQL (DATABASE_URL, else an embedded one under .data/) and
 * builds a migrated template database. Each test file then clones the template into its own database,
 * so files run in parallel without seeing each other's rows.
 */
export default async function setup(project: TestProject) {
  const server = await prepareTestDatabaseServer();
  project.provide("testDatabase", { adminUrl: server.adminUrl, template: server.template });
  return async () => {
    await server.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: { adminUrl: string; template: string };
  }
}
