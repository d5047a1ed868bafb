import type { Metadata } from "next";
import { OperationsPanel } from "@/components/admin/operations-panel";

export const metadata: Metadata = { title: "Operations" };

export default function Page() {
  return <OperationsPanel />;
}
