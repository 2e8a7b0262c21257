// The admin web UI's build: `npx vite build --config web/vite.config.ts` writes web/dist/, which
// the Express server serves at `/`. `npx vite --config web/vite.config.ts` runs a dev server
// that forwards API, auth and export requests to a service on http://localhost:3000.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const service = "http://localhost:3000";

export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    // The server's CSP allows no inline script or style: keep every asset a separate file.
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    proxy: {
      "/api": service,
      "/auth": service,
      "/healthz": service,
      "^/lists/[^/]+\\.(csv|json|txt)": service,
    },
  },
});
