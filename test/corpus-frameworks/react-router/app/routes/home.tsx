import type { Route } from "./+types/home";

export function meta({}: Route.MetaArgs) {
  return [
    { title: "New React Router App" },
    { name: "description", content: "Welcome to React Router!" },
  ];
}

export function loader({ request }: Route.LoaderArgs) {
  return { name: new URL(request.url).searchParams.get("name") ?? "visitor" };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  return (
    <main>
      <h1>Welcome to React Router</h1>
      <p>Hello {loaderData.name}</p>
    </main>
  );
}
