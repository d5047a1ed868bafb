import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunMode } from "@/env";
import { isLoopbackAddress, metricsRefusal } from "@/server/features/observability/access";
import { renderMetrics } from "@/server/features/observability/scrape";
import type { Services } from "@/server/services";

/**
 * The worker's Prometheus endpoint (`GET /metrics` on WORKER_METRICS_PORT): job durations, queue depth,
 * email delivery and confirmation delays observed in this process, and its heartbeat. Same access rule
 * as the app's `/api/metrics` (src/server/features/observability/access.ts). Outside production it
 * listens on loopback only.
 */
export async function startMetricsServer(opts: {
  svc: Services;
  port: number;
  mode: RunMode;
  token: string | undefined;
}): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
        res.writeHead(404, { "content-type": "text/plain" }).end("Not found: metrics are at /metrics\n");
        return;
      }
      const headers = new Headers();
      if (req.headers.authorization) headers.set("authorization", req.headers.authorization);
      const refusal = metricsRefusal({
        headers,
        mode: opts.mode,
        token: opts.token,
        loopback: isLoopbackAddress(req.socket.remoteAddress),
      });
      if (refusal) {
        res.writeHead(refusal.status, { "content-type": "text/plain" }).end(`${refusal.message}\n`);
        return;
      }
      const { contentType, body } = await renderMetrics(opts.svc);
      res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" }).end(body);
    })().catch((e: unknown) => {
      opts.svc.log.warn("metrics request failed", { error: e });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const host = opts.mode === "production" ? "0.0.0.0" : "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
