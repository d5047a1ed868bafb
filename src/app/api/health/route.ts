import { getDb } from "@/server/db/client";
import { getCache } from "@/server/features/cache/instance";
import { checkHealth } from "@/server/features/health/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(getDb(), getCache());
  return Response.json(health, {
    status: health.db === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
