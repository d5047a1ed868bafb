import { NextRequest } from "next/server";
import { afterAll, describe, expect, it, vi } from "vitest";
import proxy from "@/proxy";
import { handleTrpcRequest } from "@/server/api/trpc-http";
import { closeAppServices } from "@/server/app-services";
import { createDb } from "@/server/db/client";
import type { Services } from "@/server/services";
import { pageContext } from "@/server/api/context";
import { createCaller } from "@/server/api/root";
import { testServices } from "../helpers/services";
import { formatLine, log, withLogContext } from "@/server/lib/log";
import { requestIdFor } from "@/server/lib/request-id";
import { env } from "@/env";
import { API_CONTENT_SECURITY_POLICY } from "@/server/features/security/headers";

afterAll(() => closeAppServices());

describe("x-request-id", () => {
  it("the proxy gives every request an id, and ignores one a client made up", () => {
    const page = proxy(new NextRequest("http://localhost:3000/admin/login"));
    const api = proxy(
      new NextRequest("http://localhost:3000/api/health", {
        headers: { "x-request-id": "client-chosen-id" },
      }),
    );
    const ids = [page, api].map((r) => r.headers.get("x-request-id"));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    // Handed to the route as a request header (how route handlers and their log lines get it).
    expect(api.headers.get("x-middleware-request-x-request-id")).toBe(ids[1]);
  });

  it("keeps our own proxy's id only when the app is told it sits behind one", () => {
    const h = new Headers({ "x-request-id": "lb-7f3a9c21e0" });
    expect(requestIdFor(h, 1)).toBe("lb-7f3a9c21e0");
    expect(requestIdFor(h, 0)).not.toBe("lb-7f3a9c21e0");
    expect(requestIdFor(new Headers({ "x-request-id": "who=me@example.com" }), 1)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("the tRPC endpoint logs under the request's id, and returns one it had to make", async () => {
    // The app's Services on a database that refuses connections: search.ports then logs a warning
    // ("database unavailable") from inside the procedure, which must carry the request's id.
    const down = createDb("postgres://postgres@127.0.0.1:1/nothing", { max: 1 });
    const g = globalThis as unknown as { __traverseServices?: Services };
    g.__traverseServices = testServices({ db: down.db });
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((l: unknown) => void lines.push(String(l)));
    const url = "http://localhost:3000/api/trpc/search.ports";
    try {
      // The proxy does not run for tRPC calls: the endpoint makes the id itself, and one a client made up
      // (the app is behind no proxy here: TRUSTED_PROXY_HOPS is 0) is neither logged nor returned.
      expect(env.TRUSTED_PROXY_HOPS).toBe(0);
      const direct = await handleTrpcRequest(
        new Request(url, { headers: { "x-request-id": "req-0123456789" } }),
      );
      expect(direct.status).toBe(503);
      const made = direct.headers.get("x-request-id");
      expect(made).toMatch(/^[0-9a-f-]{36}$/);
      const line = lines.find((l) => l.includes("database unavailable"));
      expect(line).toContain(`requestId=${made}`);
      expect(line).toContain("path=search.ports");
      expect(lines.join("\n")).not.toContain("req-0123456789");
      // And the API answer's security headers, which the proxy would otherwise have set.
      expect(direct.headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
      expect(direct.headers.get("x-frame-options")).toBe("DENY");
      expect(direct.headers.get("x-content-type-options")).toBe("nosniff");
      expect(direct.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    } finally {
      spy.mockRestore();
      await down.close();
    }
  });

  it("a server component's procedure call logs under the page request's id", async () => {
    const down = createDb("postgres://postgres@127.0.0.1:1/nothing", { max: 1 });
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((l: unknown) => void lines.push(String(l)));
    try {
      // What `serverApi` builds for a page the proxy has given an id.
      const headers = new Headers({ "x-request-id": "page-req-0123456789" });
      const caller = createCaller(pageContext(testServices({ db: down.db }), headers));
      await expect(caller.search.ports()).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
      expect(lines.find((l) => l.includes("database unavailable"))).toContain(
        "requestId=page-req-0123456789",
      );
    } finally {
      spy.mockRestore();
      await down.close();
    }
  });

  it("a log line outside any request or job carries no context", () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((l: unknown) => void lines.push(String(l)));
    try {
      withLogContext({ jobId: "9", task: "noop" }, () => log.info("in a job"));
      log.info("outside");
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual(["INFO  in a job jobId=9 task=noop", "INFO  outside"]);
  });
});

describe("log lines", () => {
  it("are one JSON object each in production, with the job's context, and errors described", () => {
    const err = Object.assign(new Error("duplicate key (email)=(x@example.com)"), {
      code: "23505",
      constraint_name: "admin_users_email",
      table_name: "admin_users",
      severity: "ERROR",
      query: "insert …",
    });
    const line = formatLine(
      "error",
      "job failed",
      { jobId: "42", task: "send_email", traceId: "ab".repeat(16), error: err },
      "json",
      new Date("2026-05-01T10:00:00Z"),
    );
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject({
      time: "2026-05-01T10:00:00.000Z",
      level: "error",
      msg: "job failed",
      jobId: "42",
      task: "send_email",
      traceId: "ab".repeat(16),
    });
    expect(line).not.toContain("x@example.com");
    expect(line).not.toContain("\n");
  });

  it("are readable text in development", () => {
    expect(formatLine("info", "email sent", { jobId: "7", ms: 12 }, "text")).toBe(
      "INFO  email sent jobId=7 ms=12",
    );
  });
});
