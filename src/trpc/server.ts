import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { createContext } from "@/server/api/context";
import { appServices } from "@/server/app-services";
import { createCaller } from "@/server/api/root";

/** A tRPC caller for React Server Components: same procedures, no HTTP round trip. */
export const serverApi = cache(async () =>
  createCaller(createContext({ svc: appServices(), headers: new Headers(await headers()) })),
);
