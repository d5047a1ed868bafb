import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { pageContext } from "@/server/api/context";
import { appServices } from "@/server/app-services";
import { createCaller } from "@/server/api/root";

/** A tRPC caller for React Server Components: same procedures, no HTTP round trip. */
export const serverApi = cache(async () =>
  createCaller(pageContext(appServices(), new Headers(await headers()))),
);
