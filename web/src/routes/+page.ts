import { redirect } from '@sveltejs/kit';
import { live } from '#lib/live/store.svelte.ts';
import { homeFor } from '#lib/nav.ts';

export function load(): never {
  redirect(307, homeFor(live.membership?.role));
}
