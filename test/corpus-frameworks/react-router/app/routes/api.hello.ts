import type { Route } from "./+types/api.hello";

export function loader({ request }: Route.LoaderArgs) {
  const name = new URL(request.url).searchParams.get("name") ?? "world";
  return Response.json({ hello: name });
}
