import { upstashCommand } from "../../tests/support/emulators";
import type { SearchInput } from "../../tests/support/fixtures";
import { sleep } from "../../tests/support/poll";
import type { FaultStack } from "./stack";
import { api } from "./traverse";

/**
 * Staleness of search answers, measured from outside like a traveller would see it.
 *
 * Definition: after a change is committed at time T (its write answered), a search answer is STALE when
 * the search STARTED after T and still shows the value from before the change. The staleness window of a
 * change is the time from T to the start of the last stale answer (0 when there is none). Searches that
 * started before T may legitimately show the old value and are ignored.
 */
export interface Observation {
  start: number;
  end: number;
  status: number;
  price: number | null;
  remaining: number | null;
}

/** One sailing's DECK option for a party of one adult: its total price and the places left. */
export async function readSailing(
  stack: FaultStack,
  input: SearchInput,
  sailingId: number,
  signal?: AbortSignal,
): Promise<Omit<Observation, "start" | "end">> {
  const r = await api(stack).call<{
    sailings: {
      id: number;
      options: { accommodation: string; total: { amount: number }; remaining: number }[];
    }[];
  }>("search.sailings", input, { method: "GET", signal: signal ?? AbortSignal.timeout(10_000) });
  const deck = r.data?.sailings
    .find((s) => s.id === sailingId)
    ?.options.find((o) => o.accommodation === "DECK");
  return { status: r.status, price: deck?.total.amount ?? null, remaining: deck?.remaining ?? null };
}

/** Searches one after another (with `gapMs` between) until stopped, recording every answer. */
export function observe(read: () => Promise<Omit<Observation, "start" | "end">>, gapMs = 25) {
  const observations: Observation[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const start = Date.now();
      try {
        const r = await read();
        observations.push({ start, end: Date.now(), ...r });
      } catch {
        observations.push({ start, end: Date.now(), status: 0, price: null, remaining: null });
      }
      // Pacing between two searches, not synchronisation.
      await sleep(gapMs);
    }
  })();
  return {
    observations,
    async stop(): Promise<Observation[]> {
      stopped = true;
      await loop;
      return observations;
    },
  };
}

export interface Staleness {
  /** Answers that started after the change and showed the old value. */
  staleAnswers: number;
  windowMs: number;
  /** Answers that started after the change and showed the new value. */
  freshAnswers: number;
}

export function staleness(
  observations: Observation[],
  change: { at: number; field: "price" | "remaining"; before: number; after: number },
): Staleness {
  const after = observations.filter((o) => o.start >= change.at && o.status === 200);
  const stale = after.filter((o) => o[change.field] === change.before);
  return {
    staleAnswers: stale.length,
    windowMs: stale.reduce((m, o) => Math.max(m, o.start - change.at), 0),
    freshAnswers: after.filter((o) => o[change.field] === change.after).length,
  };
}

/** True once the Upstash emulator answers a command again (its Redis connection is back). */
export async function upstashAnswers(stack: FaultStack): Promise<boolean> {
  try {
    const r = await upstashCommand(stack.urls.upstash, stack.upstashToken, ["ping"], 2_000);
    return r.ok && r.result === "PONG";
  } catch {
    return false;
  }
}
