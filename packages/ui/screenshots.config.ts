// `npm run screenshots`: regenerates docs/ui-*.png from a broker seeded through the CLI (not part of `npm test`).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['packages/ui/test/screenshots.run.ts'],
    testTimeout: 900_000,
    hookTimeout: 400_000,
  },
})
