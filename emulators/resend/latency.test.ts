import { Resend } from "resend";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ResendEmulator, startResendEmulator } from "./server";
import type { LatencyState } from "../shared/latency";
import { callControl, until } from "../shared/latency-test-support";

/** Slow and hung Resend (`/_emulator/delay`, `/_emulator/hang`, `/_emulator/latency`) through the SDK. */
let emulator: ResendEmulator;
let resend: Resend;

const email = (n: number) => ({
  from: "Traverse <tickets@traverse.test>",
  to: `traveller${n}@example.com`,
  subject: `Booking TRV-${n} confirmed`,
  text: `Booking TRV-${n}`,
});

type Reply = Partial<LatencyState> & { error?: string; count?: number };

const control = (path: string, body?: unknown) => callControl<Reply>(emulator.url, path, body);

beforeAll(async () => {
  emulator = await startResendEmulator({ port: 0 });
  resend = new Resend("re_latency_test", { baseUrl: emulator.url });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  expect((await control("reset", {})).status).toBe(200);
});

describe("resend emulator: delay", () => {
  it("answers every API request after the delay; the request log keeps the arrival time", async () => {
    expect((await control("delay", { ms: 400 })).body.delay).toEqual({ ms: 400, method: null, path: null });
    const sentAt = Date.now();
    const t0 = performance.now();
    const { data, error } = await resend.emails.send(email(1));
    expect(error).toBeNull();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
    expect(emulator.emails().map((e) => e.id)).toEqual([data?.id]);
    const [logged] = emulator.requests();
    expect(logged?.time).toBeLessThan(sentAt + 300);

    await control("delay", { ms: 0 });
    const t1 = performance.now();
    await resend.emails.send(email(2));
    expect(performance.now() - t1).toBeLessThan(390);
  });

  it("leaves the control API and the inbox page fast", async () => {
    emulator.delay(2_000);
    const t0 = performance.now();
    expect((await fetch(`${emulator.url}/`)).status).toBe(200);
    expect((await control("emails")).status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(1_500);
  });
});

describe("resend emulator: hang", () => {
  it("holds requests until lifted; the email is then accepted", async () => {
    await control("hang", {});
    const pending = resend.emails.send(email(3), { idempotencyKey: "outbox-3" });
    await until(
      () => control("latency"),
      (r) => r.body.held === 1,
    );
    expect(emulator.emails()).toEqual([]);
    await control("hang", { seconds: 0 });
    const { data, error } = await pending;
    expect(error).toBeNull();
    expect(emulator.emails().map((e) => [e.id, e.idempotencyKey])).toEqual([[data?.id, "outbox-3"]]);
  });

  it("refuses bad input with a message and changes nothing", async () => {
    const r = await control("delay", { ms: 10_000_000 });
    expect(r).toEqual({
      status: 400,
      body: { error: "`ms` must be an integer between 0 and 600000 (0 ends the delay)." },
    });
    expect((await control("hang", { seconds: [] })).status).toBe(400);
    expect(emulator.latencyState()).toEqual({ delay: null, hang: null, held: 0 });
  });
});
