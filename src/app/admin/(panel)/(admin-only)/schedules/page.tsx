import type { Metadata } from "next";
import { SchedulesPanel } from "@/components/admin/schedules/schedules-panel";

export const metadata: Metadata = { title: "Schedules" };

export default async function SchedulesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { route } = await searchParams;
  const routeId = typeof route === "string" && /^\d+$/.test(route) ? Number(route) : undefined;
  return <SchedulesPanel initialRouteId={routeId} />;
}
