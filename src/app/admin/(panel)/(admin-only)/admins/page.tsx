import type { Metadata } from "next";
import { AdminsPanel } from "@/components/admin/admins-panel";

export const metadata: Metadata = { title: "Admins" };

export default function Page() {
  return <AdminsPanel />;
}
