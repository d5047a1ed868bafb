import { TRPCClientError } from "@trpc/client";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

/** The server's error shape (server/api/trpc.ts errorFormatter), read defensively. */
export interface AdminError {
  code: string | null;
  message: string;
  fieldErrors: Record<string, string>;
  details: Record<string, unknown> | null;
}

export function parseError(e: unknown): AdminError {
  if (e instanceof TRPCClientError) {
    const data = (e.data ?? {}) as {
      code?: string;
      fieldErrors?: Record<string, string>;
      details?: Record<string, unknown>;
    };
    return {
      code: data.code ?? (e.data ? null : "NETWORK"),
      message: e.data ? e.message : "The server could not be reached. Check the connection and try again.",
      fieldErrors: data.fieldErrors ?? {},
      details: data.details ?? null,
    };
  }
  return {
    code: null,
    message: e instanceof Error ? e.message : String(e),
    fieldErrors: {},
    details: null,
  };
}

export function errorMessage(e: unknown): string {
  return parseError(e).message;
}

/**
 * Puts the server's field errors next to the matching inputs; returns true when at least one matched, so
 * the caller shows the general message only when nothing could be placed.
 */
export function applyFieldErrors<T extends FieldValues>(
  e: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): boolean {
  const { fieldErrors } = parseError(e);
  let placed = false;
  for (const [path, message] of Object.entries(fieldErrors)) {
    const f = fields.find((name) => name === path);
    if (f) {
      setError(f, { type: "server", message });
      placed = true;
    }
  }
  return placed;
}
