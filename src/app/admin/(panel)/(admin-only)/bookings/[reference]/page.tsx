import type { Metadata } from "next";
import { BookingDetail } from "@/components/admin/booking-detail/booking-detail";

export async function generateMetadata({
  params,
}: {
  params: Promise<{ reference: string }>;
}): Promise<Metadata> {
  const { reference } = await params;
  return { title: `Booking ${decodeURIComponent(reference)}` };
}

export default async function BookingPage({ params }: { params: Promise<{ reference: string }> }) {
  const { reference } = await params;
  return <BookingDetail reference={decodeURIComponent(reference).toUpperCase()} />;
}
