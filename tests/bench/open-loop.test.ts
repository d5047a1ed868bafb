import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLoop } from "../../bench/lib/open-loop";

/** The open-loop generator counts every request once and says what each failed one was. */
let origin = "";
const server = createServer((req, res) => {
  const i = Number(new URL(req.url ?? "/", "http://x").searchParams.get("i"));
  if (i === 3) return req.socket.destroy(); // a connection dropped without an answer
  res.statusCode = i === 5 || i === 7 ? 500 : 200;
  res.end("ok");
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("openLoop", () => {
  it("sends every request and names each failure: refused statuses and network errors", async () => {
    const r = await openLoop({ origin, rate: 100, durationS: 0.1, request: (i) => ({ path: `/?i=${i}` }) });
    expect(r.sent).toBe(10);
    expect(r.statuses).toEqual({ 200: 7, 500: 2 });
    expect(r.latencies).toHaveLength(9);
    expect(r.errors).toBe(3);
    expect(r.failures).toEqual({ "status 500": 2, ECONNRESET: 1 });
  });
});
