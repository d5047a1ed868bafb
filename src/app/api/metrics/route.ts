import { env, runMode } from "@/env";
import { appServices } from "@/server/app-services";
import { isLoopbackHost, metricsRefusal } from "@/server/features/observability/access";
import { renderMetrics } from "@/server/features/observability/scrape";

export const dynamic = "force-dynamic";

/** Prometheus scrapes the app here (see src/server/features/observability/access.ts for who may). */
export async function GET(req: Request) {
  const refusal = metricsRefusal({
    headers: req.headers,
    mode: runMode(),
    token: env.METRICS_TOKEN,
    loopback: isLoopbackHost(req.headers.get("host")),
  });
  if (refusal) {
    return Response.json(
      { error: refusal.message },
      {
        status: refusal.status,
        headers: {
          "cache-control": "no-store",
          ...(refusal.status === 401 ? { "www-authenticate": "Bearer" } : {}),
        },
      },
    );
  }
  const { contentType, body } = await renderMetrics(appServices());
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
