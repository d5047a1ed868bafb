/**
 * Calls per tRPC batch: the server refuses larger batches (`src/server/api/trpc-http.ts`) and the app's
 * client never sends one (`src/trpc/react.tsx`). Client-safe: no imports.
 */
export const TRPC_MAX_BATCH = 10;
