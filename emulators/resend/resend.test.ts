// Drives the emulator through the official `resend` SDK, exactly as the worker will, plus raw fetch
// where the SDK hides HTTP details (status line, rate-limit headers).
import { request } from "node:http";
import { Resend } from "resend";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ResendEmulator, startResendEmulator } from "./server";

const KEY = "re_test_x";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const message = (n: number) => ({
  from: "Traverse <tickets@traverse.test>",
  to: `traveller${n}@example.com`,
  subject: `Booking TRV-${n} confirmed`,
  html: `<p>Booking <b>TRV-${n}</b></p>`,
  text: `Booking TRV-${n}`,
});

let emulator: ResendEmulator;
let resend: Resend;

async function control(path: string, body?: unknown): Promise<Response> {
  return fetch(`${emulator.url}/_emulator/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  emulator = await startResendEmulator({ port: 0 });
  resend = new Resend(KEY, { baseUrl: emulator.url });
});
afterAll(async () => emulator.close());
beforeEach(async () => {
  expect((await control("reset", {})).status).toBe(200);
});

describe("POST /emails", () => {
  it("accepts an email and captures every field", async () => {
    const result = await resend.emails.send({
      ...message(1),
      to: ["a@example.com", "B <b@example.com>"],
      cc: "c@example.com",
      bcc: ["d@example.com"],
      replyTo: "help@traverse.test",
      headers: { "X-Entity-Ref-ID": "booking-1" },
      tags: [{ name: "kind", value: "booking_confirmed" }],
      attachments: [{ filename: "ticket.pdf", content: Buffer.from("%PDF-1.7 ticket") }],
    });
    expect(result.error).toBeNull();
    expect(result.data?.id).toMatch(UUID);

    const [email, ...others] = emulator.emails();
    expect(others).toEqual([]);
    expect(email).toMatchObject({
      id: result.data?.id,
      from: "Traverse <tickets@traverse.test>",
      to: ["a@example.com", "B <b@example.com>"],
      cc: ["c@example.com"],
      bcc: ["d@example.com"],
      replyTo: ["help@traverse.test"],
      subject: "Booking TRV-1 confirmed",
      html: "<p>Booking <b>TRV-1</b></p>",
      text: "Booking TRV-1",
      headers: { "X-Entity-Ref-ID": "booking-1" },
      tags: [{ name: "kind", value: "booking_confirmed" }],
      attachments: [{ filename: "ticket.pdf", size: 15, contentType: null, path: null }],
      lastEvent: "delivered",
      idempotencyKey: null,
      batch: false,
    });
  });

  it("returns a validation error as { data: null, error } naming the field", async () => {
    const result = await resend.emails.send({ ...message(1), to: "not-an-address" });
    expect(result.data).toBeNull();
    expect(result.error).toEqual({
      statusCode: 422,
      name: "validation_error",
      message:
        "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
    });
    expect(emulator.emails()).toEqual([]);
  });

  it("reports missing required fields and a body without html or text", async () => {
    const noSubject = await resend.emails.send({ ...message(1), subject: undefined as unknown as string });
    expect(noSubject.error).toEqual({
      statusCode: 422,
      name: "missing_required_field",
      message: "Missing `subject` field.",
    });
    const noBody = await resend.emails.send({
      from: "a@traverse.test",
      to: "b@example.com",
      subject: "s",
    } as unknown as Parameters<Resend["emails"]["send"]>[0]);
    expect(noBody.error).toEqual({
      statusCode: 422,
      name: "missing_required_field",
      message: "Missing `html` or `text` field.",
    });
  });

  it("rejects more than 50 recipients", async () => {
    const to = Array.from({ length: 51 }, (_, i) => `p${i}@example.com`);
    const result = await resend.emails.send({ ...message(1), to });
    expect(result.error?.name).toBe("validation_error");
    expect(result.error?.message).toBe("Too many recipients in the `to` field. The maximum is 50.");
  });
});

describe("authentication", () => {
  it("answers 401 missing_api_key without a Bearer token", async () => {
    const result = await resend.emails.send(message(1), { headers: { Authorization: "" } });
    expect(result.error).toEqual({
      statusCode: 401,
      name: "missing_api_key",
      message: "Missing API key in the authorization header.",
    });
  });

  it("answers 403 invalid_api_key for a key that is not a Resend key", async () => {
    const result = await new Resend("sk_live_nope", { baseUrl: emulator.url }).emails.send(message(1));
    expect(result.error).toEqual({
      statusCode: 403,
      name: "invalid_api_key",
      message: "API key is invalid.",
    });
  });

  it("requires the exact key when one is configured", async () => {
    const strict = await startResendEmulator({ apiKey: "re_only_this" });
    try {
      const wrong = await new Resend("re_other", { baseUrl: strict.url }).emails.send(message(1));
      expect(wrong.error?.name).toBe("invalid_api_key");
      const right = await new Resend("re_only_this", { baseUrl: strict.url }).emails.send(message(1));
      expect(right.error).toBeNull();
      expect(strict.emails()).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });
});

describe("POST /emails/batch", () => {
  it("sends up to 100 emails and returns their ids in order", async () => {
    const result = await resend.batch.send([message(1), message(2), message(3)]);
    expect(result.error).toBeNull();
    const ids = result.data?.data.map((item) => item.id) ?? [];
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    // Newest first: the last email of the batch was captured last.
    expect(emulator.emails().map((email) => email.id)).toEqual([...ids].reverse());
    expect(emulator.emails().every((email) => email.batch)).toBe(true);
  });

  it("is all-or-nothing in strict mode (the default)", async () => {
    const result = await resend.batch.send([message(1), { ...message(2), to: "broken" }, message(3)]);
    expect(result.data).toBeNull();
    expect(result.error?.statusCode).toBe(422);
    expect(result.error?.name).toBe("validation_error");
    expect(result.error?.message).toContain("Invalid `to` field.");
    expect(result.error?.message).toContain("index 1");
    expect(emulator.emails()).toEqual([]);
  });

  it("sends the valid ones and lists errors in permissive mode", async () => {
    const result = await resend.batch.send([message(1), { ...message(2), to: "broken" }, message(3)], {
      batchValidation: "permissive",
    });
    expect(result.error).toBeNull();
    expect(result.data?.data).toHaveLength(2);
    expect(result.data?.errors).toEqual([
      {
        index: 1,
        message:
          "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
      },
    ]);
    expect(emulator.emails().map((email) => email.subject)).toEqual([
      "Booking TRV-3 confirmed",
      "Booking TRV-1 confirmed",
    ]);
  });

  it("rejects more than 100 emails", async () => {
    const result = await resend.batch.send(Array.from({ length: 101 }, (_, i) => message(i)));
    expect(result.error).toEqual({
      statusCode: 422,
      name: "validation_error",
      message: "Too many emails in the batch. The maximum is 100.",
    });
  });
});

describe("GET /emails/:id and GET /emails", () => {
  it("returns Resend's email object", async () => {
    const sent = await resend.emails.send({ ...message(1), cc: ["c@example.com"] });
    const id = sent.data?.id ?? "";
    const result = await resend.emails.get(id);
    expect(result.error).toBeNull();
    expect(result.data).toEqual({
      object: "email",
      id,
      to: ["traveller1@example.com"],
      from: "Traverse <tickets@traverse.test>",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/),
      subject: "Booking TRV-1 confirmed",
      html: "<p>Booking <b>TRV-1</b></p>",
      text: "Booking TRV-1",
      bcc: null,
      cc: ["c@example.com"],
      reply_to: null,
      last_event: "delivered",
      scheduled_at: null,
      tags: [],
      message_id: `<${id}@emulator.resend.local>`,
    });
  });

  it("answers 404 not_found for an unknown id", async () => {
    const result = await resend.emails.get("00000000-0000-4000-8000-000000000000");
    expect(result.error).toEqual({ statusCode: 404, name: "not_found", message: "Email not found" });
  });

  it("lists newest first with cursor pagination", async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await resend.emails.send(message(n))).data?.id ?? "");
    const [first, second, third] = ids;

    const all = await resend.emails.list();
    expect(all.data?.object).toBe("list");
    expect(all.data?.has_more).toBe(false);
    expect(all.data?.data.map((email) => email.id)).toEqual([third, second, first]);

    const page1 = await resend.emails.list({ limit: 2 });
    expect(page1.data?.data.map((email) => email.id)).toEqual([third, second]);
    expect(page1.data?.has_more).toBe(true);
    const page2 = await resend.emails.list({ limit: 2, after: second });
    expect(page2.data?.data.map((email) => email.id)).toEqual([first]);
    expect(page2.data?.has_more).toBe(false);
    const back = await resend.emails.list({ limit: 1, before: first });
    expect(back.data?.data.map((email) => email.id)).toEqual([second]);
    expect(back.data?.has_more).toBe(true);

    const tooMany = await resend.emails.list({ limit: 101 });
    expect(tooMany.error?.name).toBe("validation_error");
  });
});

describe("Idempotency-Key", () => {
  it("replays the same id for the same key and body, storing one email", async () => {
    const first = await resend.emails.send(message(1), { idempotencyKey: "outbox-1" });
    const second = await resend.emails.send(message(1), { idempotencyKey: "outbox-1" });
    expect(first.error).toBeNull();
    expect(second.data?.id).toBe(first.data?.id);
    expect(emulator.emails()).toHaveLength(1);
    expect(emulator.emails()[0]?.idempotencyKey).toBe("outbox-1");
  });

  it("answers 409 invalid_idempotent_request for the same key with another body", async () => {
    await resend.emails.send(message(1), { idempotencyKey: "outbox-2" });
    const result = await resend.emails.send(message(2), { idempotencyKey: "outbox-2" });
    expect(result.error).toEqual({
      statusCode: 409,
      name: "invalid_idempotent_request",
      message: "Same idempotency key used with a different request payload.",
    });
    expect(emulator.emails()).toHaveLength(1);
  });

  it("applies to batches", async () => {
    const first = await resend.batch.send([message(1), message(2)], { idempotencyKey: "notice-7" });
    const again = await resend.batch.send([message(1), message(2)], { idempotencyKey: "notice-7" });
    expect(again.data).toEqual(first.data);
    expect(emulator.emails()).toHaveLength(2);
  });

  it("rejects keys longer than 256 characters", async () => {
    const result = await resend.emails.send(message(1), { idempotencyKey: "k".repeat(257) });
    expect(result.error).toEqual({
      statusCode: 400,
      name: "invalid_idempotency_key",
      message: "The key must be between 1-256 chars.",
    });
  });

  it("answers 409 concurrent_idempotent_requests while the first request is in flight", async () => {
    const url = new URL(`${emulator.url}/emails`);
    const body = JSON.stringify(message(1));
    const slow = request({
      host: url.hostname,
      port: url.port,
      path: "/emails",
      method: "POST",
      headers: {
        authorization: `Bearer ${KEY}`,
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "idempotency-key": "outbox-3",
      },
    });
    const slowStatus = new Promise<number>((resolve, reject) => {
      slow.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      slow.on("error", reject);
    });
    slow.flushHeaders();
    // Wait until the emulator has seen the headers of the first request (it is logged only on completion).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const concurrent = await resend.emails.send(message(1), { idempotencyKey: "outbox-3" });
    expect(concurrent.error?.name).toBe("concurrent_idempotent_requests");
    expect(concurrent.error?.statusCode).toBe(409);
    slow.end(body);
    expect(await slowStatus).toBe(200);
    expect(emulator.emails()).toHaveLength(1);
  });

  it("forgets keys after 24 hours", async () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const clocked = await startResendEmulator({ now: () => now });
    try {
      const client = new Resend(KEY, { baseUrl: clocked.url });
      const first = await client.emails.send(message(1), { idempotencyKey: "k" });
      now += 24 * 60 * 60 * 1000 - 1;
      expect((await client.emails.send(message(1), { idempotencyKey: "k" })).data?.id).toBe(first.data?.id);
      now += 1;
      const later = await client.emails.send(message(1), { idempotencyKey: "k" });
      expect(later.data?.id).toMatch(UUID);
      expect(later.data?.id).not.toBe(first.data?.id);
      expect(clocked.emails()).toHaveLength(2);
    } finally {
      await clocked.close();
    }
  });
});

describe("failure injection", () => {
  it("fails the next two requests with 500, then succeeds with one email stored", async () => {
    expect((await control("fail-next", { count: 2, status: 500 })).status).toBe(200);
    const results = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      results.push(await resend.emails.send(message(1), { idempotencyKey: "outbox-9" }));
    }
    expect(results.map((r) => r.error)).toEqual([
      { statusCode: 500, name: "internal_server_error", message: "An unexpected error occurred." },
      { statusCode: 500, name: "internal_server_error", message: "An unexpected error occurred." },
      null,
    ]);
    expect(emulator.emails()).toHaveLength(1);
    const log = (await (await control("requests")).json()) as {
      data: { status: number; idempotencyKey: string }[];
    };
    expect(log.data.map((entry) => [entry.status, entry.idempotencyKey])).toEqual([
      [500, "outbox-9"],
      [500, "outbox-9"],
      [200, "outbox-9"],
    ]);
  });

  it("injects 429 with retry-after visible at the HTTP level and through the SDK", async () => {
    await control("fail-next", { count: 2, status: 429, retryAfter: 7 });
    const raw = await fetch(`${emulator.url}/emails`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify(message(1)),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("7");
    expect(raw.headers.get("ratelimit-remaining")).toBe("0");
    expect(await raw.json()).toEqual({
      statusCode: 429,
      name: "rate_limit_exceeded",
      message:
        "Too many requests. Please limit the number of requests per second. Or contact support to increase rate limit.",
    });
    const viaSdk = await resend.emails.send(message(1));
    expect(viaSdk.error?.name).toBe("rate_limit_exceeded");
    expect(viaSdk.headers?.["retry-after"]).toBe("7");
    expect(emulator.emails()).toEqual([]);
  });

  it("answers 500 to everything during an outage", async () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const clocked = await startResendEmulator({ now: () => now });
    try {
      const client = new Resend(KEY, { baseUrl: clocked.url });
      clocked.down(60);
      expect((await client.emails.send(message(1))).error?.statusCode).toBe(500);
      now += 59_999;
      expect((await client.emails.list()).error?.name).toBe("internal_server_error");
      now += 1;
      expect((await client.emails.send(message(1))).error).toBeNull();
    } finally {
      await clocked.close();
    }
  });

  it("validates control input", async () => {
    const bad = await control("fail-next", { count: 0, status: 418 });
    expect(bad.status).toBe(400);
    expect(() => emulator.failNext({ count: 1, status: 404 as 500 })).toThrow(
      "`status` must be 500, 429 or 503.",
    );
  });
});

describe("rate limit", () => {
  it("rejects the 3rd request within a second at 2 req/s and sends the headers", async () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const limited = await startResendEmulator({ rateLimit: { requestsPerSecond: 2 }, now: () => now });
    try {
      const send = () =>
        fetch(`${limited.url}/emails`, {
          method: "POST",
          headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
          body: JSON.stringify(message(1)),
        });
      const first = await send();
      now += 300;
      const second = await send();
      now += 300;
      const third = await send();
      expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
      expect(first.headers.get("ratelimit-limit")).toBe("2");
      expect(first.headers.get("ratelimit-remaining")).toBe("1");
      expect(second.headers.get("ratelimit-remaining")).toBe("0");
      expect(third.headers.get("retry-after")).toBe("1");
      expect(((await third.json()) as { name: string }).name).toBe("rate_limit_exceeded");

      now += 400; // the first request has now left the 1-second window
      expect((await send()).status).toBe(200);
      expect(limited.emails()).toHaveLength(3);
      expect(limited.requests().map((entry) => entry.status)).toEqual([200, 200, 429, 200]);
    } finally {
      await limited.close();
    }
  });
});

describe("routing", () => {
  it("answers unknown endpoints and wrong methods like Resend", async () => {
    const unknown = await fetch(`${emulator.url}/domains`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { name: string }).name).toBe("not_found");
    const wrong = await fetch(`${emulator.url}/emails/batch`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(wrong.status).toBe(405);
    expect(((await wrong.json()) as { name: string }).name).toBe("method_not_allowed");
  });

  it("gives the SDK's network-error shape when nothing listens", async () => {
    const gone = await startResendEmulator();
    const client = new Resend(KEY, { baseUrl: gone.url });
    await gone.close();
    expect(await client.emails.send(message(1))).toEqual({
      data: null,
      error: {
        name: "application_error",
        statusCode: null,
        message: "Unable to fetch data. The request could not be resolved.",
      },
      headers: null,
    });
  });
});

describe("control API and inbox", () => {
  it("lists captured emails with bodies and idempotency keys, newest first", async () => {
    await resend.emails.send(message(1), { idempotencyKey: "a" });
    await resend.emails.send(message(2), { idempotencyKey: "b" });
    const body = (await (await control("emails")).json()) as {
      data: { subject: string; html: string; idempotencyKey: string }[];
    };
    expect(body.data.map((email) => [email.subject, email.idempotencyKey, email.html])).toEqual([
      ["Booking TRV-2 confirmed", "b", "<p>Booking <b>TRV-2</b></p>"],
      ["Booking TRV-1 confirmed", "a", "<p>Booking <b>TRV-1</b></p>"],
    ]);
  });

  it("lists the subject on the inbox page and renders escaped HTML in a sandboxed iframe", async () => {
    const sent = await resend.emails.send({
      from: "Traverse <tickets@traverse.test>",
      to: "traveller@example.com",
      subject: 'Your ticket <TRV-4K7QM9ZD> & "more"',
      html: '<p class="ref">TRV-4K7QM9ZD</p><script>alert("x")</script>',
      text: "Ref <TRV-4K7QM9ZD>",
    });
    const id = sent.data?.id ?? "";

    const list = await fetch(`${emulator.url}/`);
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const listHtml = await list.text();
    expect(listHtml).toContain(
      `<a href="/inbox/${id}">Your ticket &lt;TRV-4K7QM9ZD&gt; &amp; &quot;more&quot;</a>`,
    );
    expect(listHtml).toContain("<td>traveller@example.com</td>");

    const detail = await fetch(`${emulator.url}/inbox/${id}`);
    const detailHtml = await detail.text();
    expect(detail.status).toBe(200);
    expect(detailHtml).toContain(
      'srcdoc="&lt;p class=&quot;ref&quot;&gt;TRV-4K7QM9ZD&lt;/p&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"',
    );
    expect(detailHtml).toMatch(/<iframe [^>]*sandbox="allow-popups allow-popups-to-escape-sandbox"/);
    expect(detailHtml).not.toContain("allow-scripts");
    expect(detailHtml).not.toContain("<script");
    expect(detailHtml).toContain("<pre>Ref &lt;TRV-4K7QM9ZD&gt;</pre>");
    expect(detail.headers.get("content-security-policy")).toContain("script-src 'none'");

    expect((await fetch(`${emulator.url}/inbox/unknown`)).status).toBe(404);
  });
});
