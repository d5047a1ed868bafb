import { afterAll, beforeAll } from "vitest";
import { standIn } from "../../emulators/shared/stand-in";
import type { Services } from "@/server/services";
import { createTestDb, type TestDb } from "./db";
import { testServices } from "./services";

/** This file's own database and Services on it: made before its tests, dropped after them. */
export function testDbForFile(opts: { max?: number } = {}): { t: TestDb; svc: Services } {
  let made: { t: TestDb; svc: Services } | undefined;
  beforeAll(async () => {
    const t = await createTestDb(opts);
    made = { t, svc: testServices({ db: t.db }) };
  });
  afterAll(() => made?.t.destroy());
  return {
    t: standIn(() => made?.t, "The test database"),
    svc: standIn(() => made?.svc, "The test Services"),
  };
}
