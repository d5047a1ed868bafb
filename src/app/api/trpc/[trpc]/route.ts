import { handleTrpcRequest } from "@/server/api/trpc-http";

export const dynamic = "force-dynamic";

/** Same-origin, batch-size and body-size rules live in `handleTrpcRequest`, before any procedure runs. */
export { handleTrpcRequest as GET, handleTrpcRequest as POST };
