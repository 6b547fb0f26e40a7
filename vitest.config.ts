import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'bench/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // libp2p needs Promise.withResolvers, which Node 20 lacks
    setupFiles: ['node/network/polyfill.ts'],
  },
});
