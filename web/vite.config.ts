import { sveltekit } from '@sveltejs/kit/vite';
import adapter from '@sveltejs/adapter-static';
import { defineConfig } from 'vite';

// The API server (server/src/main.ts); in production it serves web/build on this same origin.
const API = process.env.INNBOARD_API ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [
    sveltekit({
      // SPA: every route renders in the browser from build/index.html; nothing is prerendered.
      adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html' }),
    }),
  ],
  server: {
    proxy: {
      '/api': API,
      '/health': API,
      '/socket.io': { target: API, ws: true },
    },
  },
});
