"use client";

import Link from "next/link";
import type { RouteRow } from "./types";
import { Alert } from "./ui";

/** The routes Traverse's own schedule and price editors apply to: own operators' only. */
export function ownRoutes(routes: RouteRow[] | undefined): RouteRow[] {
  return (routes ?? []).filter((r) => r.operator.kind === "own");
}

/**
 * Says what the schedule and price editors apply to. Connected operators' sailings and fares live in
 * their reservation systems (the server refuses edits to them too), so their routes are not offered.
 */
export function OwnOperatorsNote({ routes, what }: { routes: RouteRow[] | undefined; what: string }) {
  const names = (kind: "own" | "connected") => [
    ...new Set((routes ?? []).filter((r) => r.operator.kind === kind).map((r) => r.operator.name)),
  ];
  const connected = names("connected");
  return (
    <Alert tone="info" title="Own operators only">
      {what} apply to own operators{names("own").length ? ` (${names("own").join(", ")})` : ""}.{" "}
      {connected.length ? (
        <>
          Connected operators ({connected.join(", ")}) keep their sailings and fares in their own reservation
          systems: change them there. Their settings are on the{" "}
          <Link href="/admin/operators" className="font-semibold underline underline-offset-2">
            Operators
          </Link>{" "}
          page.
        </>
      ) : null}
    </Alert>
  );
}
