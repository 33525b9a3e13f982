import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The chemists' web UI: built by `npm run build` into dist/web, served by the master at /.
export default defineConfig({
  root: resolve(__dirname),
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(__dirname, '..', 'dist', 'web'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  logLevel: 'warn',
});
