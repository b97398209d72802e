import type { APIRoute } from 'astro';

export const GET: APIRoute = ({ url }) => {
  return Response.json({ hello: url.searchParams.get('name') ?? 'world' });
};
