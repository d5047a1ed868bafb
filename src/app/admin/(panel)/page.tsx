import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { appServices } from "@/server/app-services";
import { getAdminSession } from "@/server/features/auth/session";
import { homeFor } from "@/components/admin/nav";

export default async function AdminHome() {
  const session = await getAdminSession(appServices(), await headers());
  redirect(session ? homeFor(session.role) : "/admin/login");
}
