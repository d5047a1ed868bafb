import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { inSpan } from "@/server/lib/tracing";
import { registerTracing } from "@/server/lib/tracing-sdk";

// With OTEL_EXPORTER_OTLP_ENDPOINT set, spans leave the process as OTLP/HTTP to `<endpoint>/v1/traces`
// (what src/instrumentation.ts and worker/index.ts register). A local collector stands in.
it("exports spans to <endpoint>/v1/traces", async () => {
  const received: { path: string; bytes: number; body: Buffer }[] = [];
  const collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      received.push({ path: req.url ?? "", bytes: body.length, body });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => collector.listen(0, "127.0.0.1", r));
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`;
  const tracing = registerTracing({ serviceName: "traverse-otlp-test", otlpEndpoint: endpoint });
  try {
    await inSpan("otlp.probe", { attributes: { "probe.kind": "export" } }, async () => {});
    await tracing.forceFlush();
    expect(received.map((r) => r.path)).toEqual(["/v1/traces"]);
    expect(received[0]!.bytes).toBeGreaterThan(0);
    // Protobuf or JSON, the span's name and the service name travel as plain strings.
    expect(received[0]!.body.toString("latin1")).toContain("otlp.probe");
    expect(received[0]!.body.toString("latin1")).toContain("traverse-otlp-test");
  } finally {
    await tracing.shutdown();
    await new Promise((r) => collector.close(r));
  }
});
