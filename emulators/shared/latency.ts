// Slow and hung answers for the emulators' control APIs (`/_emulator/delay`, `/_emulator/hang`,
// `/_emulator/latency`). Shared by the Upstash, Stripe and Resend emulators so the three behave alike.
//
// A delay makes every matching API request wait before it is handled. A hang holds every matching request
// until the hang ends (its `seconds` elapse, or it is lifted); held requests are then handled as usual,
// even when the client gave up long ago: the provider did the work and only the answer was lost, which is
// exactly the case idempotency keys exist for.

/** Which requests a rule applies to: a method, and a path (exact, or a prefix when it ends with `*`). */
export interface Scope {
  method: string | null;
  path: string | null;
}

export interface DelayRule extends Scope {
  ms: number;
}

export interface HangRule extends Scope {
  /** Epoch ms when the hang ends by itself; null = until lifted. */
  until: number | null;
}

export interface LatencyState {
  delay: DelayRule | null;
  hang: HangRule | null;
  /** Requests held by the hang right now (lets a test wait until a request is really stuck). */
  held: number;
}

const MAX_DELAY_MS = 600_000;
const MAX_HANG_SECONDS = 86_400;

function matches(scope: Scope, method: string, path: string): boolean {
  if (scope.method && scope.method !== method.toUpperCase()) return false;
  if (!scope.path) return true;
  return scope.path.endsWith("*") ? path.startsWith(scope.path.slice(0, -1)) : path === scope.path;
}

function parseScope(body: Record<string, unknown>): Scope | string {
  const { method, path } = body;
  if (method !== undefined && (typeof method !== "string" || !/^[A-Za-z]{3,7}$/.test(method)))
    return "`method` must be an HTTP method such as POST.";
  if (path !== undefined && (typeof path !== "string" || !path.startsWith("/")))
    return "`path` must start with / (end it with * to match every path under it).";
  return {
    method: typeof method === "string" ? method.toUpperCase() : null,
    path: typeof path === "string" ? path : null,
  };
}

function asObject(body: unknown): Record<string, unknown> | string {
  if (body === undefined || body === null) return {};
  if (typeof body !== "object" || Array.isArray(body)) return "Body must be a JSON object.";
  return body as Record<string, unknown>;
}

/** `{ ms, method?, path? }`; `ms: 0` ends the delay. Returns a message a person can act on when invalid. */
export function parseDelay(body: unknown): DelayRule | string {
  const o = asObject(body);
  if (typeof o === "string") return o;
  const ms = o.ms;
  if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 0 || ms > MAX_DELAY_MS)
    return `\`ms\` must be an integer between 0 and ${MAX_DELAY_MS} (0 ends the delay).`;
  const scope = parseScope(o);
  return typeof scope === "string" ? scope : { ms, ...scope };
}

/**
 * `{ seconds?, method?, path? }`: no `seconds` hangs until lifted, `seconds: 0` lifts the hang now.
 * Returns null for "lift", the rule otherwise, or a message when invalid.
 */
export function parseHang(body: unknown, now: number): HangRule | null | string {
  const o = asObject(body);
  if (typeof o === "string") return o;
  const seconds = o.seconds;
  if (
    seconds !== undefined &&
    (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_HANG_SECONDS)
  )
    return `\`seconds\` must be a number between 0 and ${MAX_HANG_SECONDS} (0 lifts the hang; omit it to hang until lifted).`;
  if (seconds === 0) return null;
  const scope = parseScope(o);
  if (typeof scope === "string") return scope;
  return { ...scope, until: typeof seconds === "number" ? now + seconds * 1000 : null };
}

export class Latency {
  private delay: DelayRule | null = null;
  private hang: HangRule | null = null;
  private readonly held = new Set<() => void>();
  private hangTimer: NodeJS.Timeout | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  setDelay(rule: DelayRule): void {
    this.delay = rule.ms > 0 ? rule : null;
  }

  /** A rule starts (or replaces) a hang; null lifts it and lets every held request through. */
  setHang(rule: HangRule | null): void {
    if (this.hangTimer) clearTimeout(this.hangTimer);
    this.hangTimer = null;
    this.hang = rule;
    if (!rule) {
      this.releaseHeld();
      return;
    }
    if (rule.until !== null) {
      this.hangTimer = setTimeout(() => this.setHang(null), Math.max(0, rule.until - this.now()));
      this.hangTimer.unref();
    }
  }

  state(): LatencyState {
    return { delay: this.delay, hang: this.hang, held: this.held.size };
  }

  /** Resolves when a request to `method path` may be handled: after the hang (if any), then the delay. */
  async gate(method: string, path: string): Promise<void> {
    while (this.hang && matches(this.hang, method, path)) {
      await new Promise<void>((resolve) => this.held.add(resolve));
    }
    const delay = this.delay;
    if (delay && matches(delay, method, path)) {
      await new Promise((resolve) => setTimeout(resolve, delay.ms));
    }
  }

  /** Ends both faults and lets held requests through (control `reset`, and `close`). */
  reset(): void {
    this.delay = null;
    this.setHang(null);
  }

  private releaseHeld(): void {
    const waiting = [...this.held];
    this.held.clear();
    for (const resolve of waiting) resolve();
  }
}

/**
 * The three latency control routes, for any emulator: `GET /_emulator/latency` (what is set, how many
 * requests are held), `POST /_emulator/delay`, `POST /_emulator/hang`. Null when `path` is another route.
 */
export function latencyControl(
  latency: Latency,
  method: string,
  path: string,
  body: unknown,
  now: number,
): { status: number; body: unknown } | null {
  const bad = (message: string) => ({ status: 400, body: { error: message } });
  if (method === "GET" && path === "/_emulator/latency") return { status: 200, body: latency.state() };
  if (method === "POST" && path === "/_emulator/delay") {
    const rule = parseDelay(body);
    if (typeof rule === "string") return bad(rule);
    latency.setDelay(rule);
    return { status: 200, body: latency.state() };
  }
  if (method === "POST" && path === "/_emulator/hang") {
    const rule = parseHang(body, now);
    if (typeof rule === "string") return bad(rule);
    latency.setHang(rule);
    return { status: 200, body: latency.state() };
  }
  return null;
}
