import { afterAll, beforeAll, expect, it } from "vitest";
import type { OperatorEmulator } from "../../emulators/operator/server";
import { startTestEmulator } from "../../emulators/operator/test-support";
import { seedDatabase } from "@/server/seed/seed";
import type { Services } from "@/server/services";
import { createTestDb, type TestDb } from "../helpers/db";
import { testServices } from "../helpers/services";
import { PARTY } from "../operators/support";
import { metricValue } from "./prom-text";

// The operator directory the Services factory builds reports every call to
// traverse_operator_request_duration_seconds, labelled by operator, operation and outcome.

let t: TestDb;
let gnv: OperatorEmulator;
let svc: Services;
beforeAll(async () => {
  t = await createTestDb({ max: 4 });
  gnv = await startTestEmulator();
  await seedDatabase(t.db, {
    today: "2026-12-01",
    days: 1,
    devAdmin: null,
    operatorUrl: (code) => (code === "GNV" ? gnv.url : undefined),
  });
  svc = testServices({ db: t.db });
});
afterAll(async () => {
  await Promise.all([gnv.close(), svc.close(), t.destroy()]);
});

it("a call to a connected operator is observed with its operator, operation and outcome", async () => {
  const labels = { operator: "GNV", operation: "sailings", outcome: "ok" };
  const before = await metricValue("traverse_operator_request_duration_seconds_count", labels);
  const sumBefore = await metricValue("traverse_operator_request_duration_seconds_sum", labels);
  const dir = await svc.operators();
  const offers = await dir.get("GNV")!.sailings({ from: "TUN", to: "GOA" }, "2026-12-10", PARTY);
  expect(offers.length).toBeGreaterThan(0);
  expect(await metricValue("traverse_operator_request_duration_seconds_count", labels)).toBe(before + 1);
  expect(await metricValue("traverse_operator_request_duration_seconds_sum", labels)).toBeGreaterThan(
    sumBefore,
  );
});
