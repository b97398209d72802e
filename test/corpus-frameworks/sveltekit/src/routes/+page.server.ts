import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => {
	return { greeting: `Hello ${url.searchParams.get('name') ?? 'visitor'}` };
};
