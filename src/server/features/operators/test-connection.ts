import { z } from "zod";
import { operatorApiKey } from "@/env";
import { type Actor, writeAudit } from "@/server/features/audit/audit";
import { AppError } from "@/server/lib/errors";
import type { Services } from "@/server/services";
import { operatorCodeInput } from "./admin-operators";
import type { OperatorConnector } from "./connector";
import type { OperatorEntry } from "./directory";
import { createFerryGatewayJsonConnector } from "./ferrygateway-json";
import { isOperatorError, type OperatorErrorKind } from "./operator-error";

/**
 * "Test connection" on the admin Operators page: one cheap call (the operator's routes) and how it went.
 * An active operator is called through its guarded connector, so the answer is what search and booking
 * would get right now (an open breaker answers `circuit_open` without calling) and the call counts in the
 * statistics. A disabled one is called directly, so an admin can check a key or URL before enabling it,
 * without touching a breaker nobody uses.
 */

export const testConnectionInput = z.object({ code: operatorCodeInput });

export type ConnectionTestResult =
  | { code: string; ok: true; ms: number; via: "guarded" | "direct"; routes: number; at: Date }
  | {
      code: string;
      ok: false;
      ms: number;
      via: "guarded" | "direct" | "none";
      kind: OperatorErrorKind | "missing_api_key";
      /** The operator's refusal code (UNAUTHORIZED…) or HTTP status, when it answered. */
      errorCode: string | null;
      status: number | null;
      retryAfterSeconds: number | null;
      /** Operator code, operation, status and error code only (see operator-error.ts): safe to show. */
      message: string;
      at: Date;
    };

export async function testOperatorConnection(
  svc: Services,
  actor: Actor,
  input: z.infer<typeof testConnectionInput>,
): Promise<ConnectionTestResult> {
  const directory = await svc.operators();
  const entry = directory.entry(input.code);
  if (!entry) {
    throw new AppError("NOT_FOUND", `There is no operator ${input.code}.`, { reason: "OPERATOR_NOT_FOUND" });
  }
  if (entry.kind === "own") {
    throw new AppError(
      "BAD_REQUEST",
      `${entry.name} is an own operator: Traverse sells it from its own inventory, there is no connection to test.`,
      { reason: "OWN_OPERATOR" },
    );
  }
  const result = await attempt(svc, input.code, directory.get(input.code), entry);
  await writeAudit(svc.db, {
    adminUserId: actor.userId,
    action: "operators.testConnection",
    entity: "operator",
    entityId: input.code,
    after: result.ok
      ? { ok: true, ms: result.ms, via: result.via }
      : { ok: false, ms: result.ms, via: result.via, kind: result.kind, errorCode: result.errorCode },
  });
  return result;
}

async function attempt(
  svc: Services,
  code: string,
  guarded: OperatorConnector | undefined,
  entry: Pick<OperatorEntry, "status" | "baseUrl" | "timeoutMs">,
): Promise<ConnectionTestResult> {
  let connector = guarded;
  const via = guarded ? "guarded" : "direct";
  if (!connector) {
    const apiKey = entry.status === "missing_api_key" ? undefined : operatorApiKey(code);
    if (!apiKey || !entry.baseUrl || !entry.timeoutMs) {
      return {
        code,
        ok: false,
        ms: 0,
        via: "none",
        kind: "missing_api_key",
        errorCode: null,
        status: null,
        retryAfterSeconds: null,
        message: `OPERATOR_${code}_API_KEY is not set: set it to the key ${code} issued to Traverse, then reload.`,
        at: svc.clock.now(),
      };
    }
    connector = createFerryGatewayJsonConnector({
      code,
      baseUrl: entry.baseUrl,
      apiKey,
      timeoutMs: entry.timeoutMs,
    });
  }
  const started = performance.now();
  try {
    const network = await connector.routes();
    return {
      code,
      ok: true,
      ms: Math.round(performance.now() - started),
      via,
      routes: network.routes.length,
      at: svc.clock.now(),
    };
  } catch (e) {
    if (!isOperatorError(e)) throw e;
    return {
      code,
      ok: false,
      ms: Math.round(performance.now() - started),
      via,
      kind: e.kind,
      errorCode: e.code ?? null,
      status: e.status ?? null,
      retryAfterSeconds: e.retryAfterSeconds ?? null,
      message: e.message,
      at: svc.clock.now(),
    };
  }
}
