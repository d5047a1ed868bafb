import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AdminShell } from "@/components/admin/admin-shell";
import { appServices } from "@/server/app-services";
import { getAdminSession } from "@/server/features/auth/session";

/**
 * Every admin page but the login sits here. The session is checked on the server so a signed-out visitor
 * never sees the frame; each procedure checks it again itself (this is a convenience, not the guard).
 */
export default async function AdminPanelLayout({ children }: { children: React.ReactNode }) {
  // headers() first: it marks the page dynamic before anything touches the database.
  const h = await headers();
  const session = await getAdminSession(appServices(), h);
  if (!session) redirect("/admin/login");
  return (
    <AdminShell email={session.email} role={session.role}>
      {children}
    </AdminShell>
  );
}
