import { httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";
import { TRPC_MAX_BATCH } from "@/shared/trpc-limits";

/**
 * The app's one link to `/api/trpc` (used by `src/trpc/react.tsx`; tests drive the real handler through
 * it with their own `fetch`).
 */
export function appLink(opts: { url?: string; fetch?: typeof fetch } = {}) {
  return httpBatchLink<AppRouter>({
    url: opts.url ?? "/api/trpc",
    transformer: superjson,
    // The server's cap on calls per batch: larger batches are split here, never refused there.
    maxItems: TRPC_MAX_BATCH,
    // Queries go as POST bodies too: lookups carry an email address, which must never sit in a URL (and so
    // in access logs); the server refuses those over GET.
    methodOverride: "POST",
    fetch: opts.fetch,
  });
}
