import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * The dashboard is served by `melt8 serve` at `/` and at `/chef-dashboard/`, so every asset
 * URL is relative (`base: './'`) and pages are hash routes (`#/board`).
 *
 * `vite dev` and `vite preview` forward `/api` (with the WebSocket) and `/health` to a real
 * `melt8 serve` (MELT8_API, default http://127.0.0.1:8080). The Host header is kept, so the
 * server's same-origin check on `/api/events` sees the page's own origin.
 */
const api = process.env.MELT8_API ?? 'http://127.0.0.1:8080';
const proxy = {
  '/api': { target: api, ws: true, changeOrigin: false },
  '/health': { target: api, changeOrigin: false },
};

/**
 * The header `melt8 serve` sends with the dashboard (crates/kitchen-http/src/ui.rs);
 * preview sends it too, so the e2e tests catch violations either way.
 */
export const CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; media-src 'self' data: blob:; " +
  "style-src 'self'; font-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; " +
  "frame-ancestors 'none'; form-action 'self'";

export default defineConfig({
  base: './',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Fonts and sounds as files: the CSP allows no `data:` fonts.
    assetsInlineLimit: 0,
    // No inline module-preload polyfill script.
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  server: { proxy },
  preview: { proxy, headers: { 'Content-Security-Policy': CSP } },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
