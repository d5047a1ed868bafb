import type { Metadata } from "next";
import { OperatorsPanel } from "@/components/admin/operators/operators-panel";

export const metadata: Metadata = { title: "Operators" };

export default function Page() {
  return <OperatorsPanel />;
}
