// A single-page app: the server serves build/index.html for every route and the socket does the rest.
export const ssr = false;
export const prerender = false;
