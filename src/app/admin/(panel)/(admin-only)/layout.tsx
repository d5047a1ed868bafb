import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { appServices } from "@/server/app-services";
import { getAdminSession } from "@/server/features/auth/session";

/**
 * Pages only admins use. Check-in staff are sent to the check-in page instead of a screen of refusals;
 * every procedure behind these pages refuses them itself (this is a convenience, not the guard).
 */
export default async function AdminOnlyLayout({ children }: { children: React.ReactNode }) {
  const session = await getAdminSession(appServices(), await headers());
  if (!session) redirect("/admin/login");
  if (session.role !== "admin") redirect("/admin/checkin");
  return children;
}
