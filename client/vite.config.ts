// Vite builds the web client into client/dist (served by the API at `/`), and `npm run dev:client`
// serves it with hot reload, proxying /graphql (HTTP and WebSocket) to the API.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The API the dev server proxies to. */
const API_URL = process.env.API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      // No changeOrigin: the API honours the session cookie only when Origin and Host agree, and
      // through the proxy both stay those of the dev server.
      '/graphql': { target: API_URL, ws: true },
    },
  },
});
