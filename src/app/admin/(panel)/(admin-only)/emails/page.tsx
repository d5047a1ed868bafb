import type { Metadata } from "next";
import { EmailsPanel } from "@/components/admin/emails-panel";

export const metadata: Metadata = { title: "Emails" };

export default function Page() {
  return <EmailsPanel />;
}
