// electron-vite: main (ESM), preload (CommonJS: sandboxed preloads cannot be ES modules), renderer (React).
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: { rolldownOptions: { input: { index: resolve('src/main/index.ts') } } },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      minify: true,
      // React + recharts in one chunk: loaded from disk or loopback, never over a network.
      chunkSizeWarningLimit: 1024,
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
