import { defineConfig } from 'vitest/config'

export default defineConfig({
  // `source` points workspace packages at their TypeScript sources, so tests never run stale builds.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/__fixtures__/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
