import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = process.env.API_URL ?? 'http://localhost:3100';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // @todo/domain imports rrule's default export, which only its CommonJS build has (as in Node).
    alias: [{ find: /^rrule$/, replacement: 'rrule/dist/es5/rrule.js' }],
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/healthz': apiTarget,
      '/ws': { target: apiTarget.replace(/^http/, 'ws'), ws: true },
    },
  },
});
