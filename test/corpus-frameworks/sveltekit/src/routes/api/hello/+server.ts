import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url }) => {
	return json({ hello: url.searchParams.get('name') ?? 'world' });
};
