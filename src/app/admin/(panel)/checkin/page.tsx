import type { Metadata } from "next";
import { CheckinPanel } from "@/components/admin/checkin-panel";

export const metadata: Metadata = { title: "Check-in" };

export default function Page() {
  return <CheckinPanel />;
}
