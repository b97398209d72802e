import type { NextRequest } from "next/server";

export function GET(request: NextRequest) {
  const name = request.nextUrl.searchParams.get("name") ?? "world";
  return Response.json({ hello: name, runtime: process.release.name });
}
