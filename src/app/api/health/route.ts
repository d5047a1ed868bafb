import { appServices } from "@/server/app-services";
import { checkHealth } from "@/server/features/health/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(appServices());
  return Response.json(health, {
    status: health.db === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
