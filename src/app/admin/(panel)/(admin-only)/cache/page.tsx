import type { Metadata } from "next";
import { CachePanel } from "@/components/admin/cache-panel";

export const metadata: Metadata = { title: "Cache" };

export default function Page() {
  return <CachePanel />;
}
