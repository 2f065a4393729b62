import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { HttpResponse } from '../transport/types.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.webmanifest': 'application/manifest+json', '.txt': 'text/plain; charset=utf-8',
};

/**
 * The board's Content-Security-Policy. Scripts: its own files plus the build's inline bootstrap scripts,
 * allowed by hash (computed from the HTML served, so a rebuild needs no config). Styles stay
 * 'unsafe-inline': Svelte `style:` directives and CodeMirror write inline styles. Sockets and fetches go
 * to the same origin only; no page may frame the board (clickjacking).
 */
export function boardCsp(html: string): string {
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
  return [
    "default-src 'self'", `script-src 'self' ${hashes.join(' ')}`.trim(), "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
    "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the board's SPA build. Assets are read once and kept in memory (the build is a few hundred
 * KB; their names are content hashes); unknown paths get index.html so client-side routes work on reload.
 */
export function createStaticHandler(buildDir: string) {
  const root = resolve(buildDir);
  const cache = new Map<string, HttpResponse>();

  function load(file: string): HttpResponse | null {
    const hit = cache.get(file);
    if (hit) return hit;
    const isHtml = extname(file) === '.html';
    if (!existsSync(file) || !statSync(file).isFile()) return null;
    const immutable = file.includes(`${join('_app', 'immutable')}`);
    const body = readFileSync(file);
    const res: HttpResponse = {
      status: 200,
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...(isHtml ? { 'content-security-policy': boardCsp(body.toString('utf8')) } : {}),
      },
      body,
    };
    // HTML names the hashed bundles of the current build: never cache it, so a rebuild shows up.
    if (!isHtml) cache.set(file, res);
    return res;
  }

  return {
    serve(path: string): HttpResponse {
      if (!existsSync(join(root, 'index.html'))) {
        return { status: 503, headers: { 'content-type': 'text/plain' }, body: 'The board is not built yet: run `pnpm start` (it builds web/ first).' };
      }
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'Bad request' }; // a malformed %-escape
      }
      const file = normalize(join(root, decoded));
      if (!file.startsWith(root)) return { status: 404, body: 'Not found' };
      return load(file) ?? load(join(file, 'index.html')) ?? load(join(root, 'index.html'))!;
    },
  };
}
