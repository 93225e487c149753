// Vite build of the dashboard: one script and one stylesheet with relative URLs, so that
// `agglo serve` serves web/dist as it is and `agglo report` can inline both into one file.
import { defineConfig } from 'vite';
import { readFileSync, writeFileSync } from 'node:fs';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 100000000,
    cssCodeSplit: false,
    modulePreload: false,
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
  plugins: [
    {
      // The layers the views read, for `agglo report` to inline (report/dashboard.hpp).
      name: 'agglo-layers',
      writeBundle(options) {
        const layers = readFileSync(new URL('./src/layers.json', import.meta.url), 'utf8');
        writeFileSync(`${options.dir}/layers.json`, layers);
      },
    },
  ],
});
