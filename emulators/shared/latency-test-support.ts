// For the emulators' latency tests: their control API and a poll with a deadline.

/**
 * Calls `/_emulator/<path>` at `base`: GET without a body, POST with one (a string is sent as it is), and
 * answers the status and the JSON body.
 */
export async function callControl<R>(
  base: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: R }> {
  const res = await fetch(`${base}/_emulator/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as R };
}

/** Polls until `ok` or throws at the deadline. */
export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
