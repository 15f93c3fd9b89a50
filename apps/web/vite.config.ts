// Builds the UI into dist/ (index.html + hashed assets/), which the server package ships as dist/ui.
import { defineConfig } from "vite";

export default defineConfig({
  // Preact's automatic JSX runtime: no React, no compat layer.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    assetsInlineLimit: 0,
  },
});
