// Run by test/provider-verification.test.ts as a child vitest whose working directory is a temporary
// directory: `dir: 'contracts'` and `contracts: 'contracts'` in these tests then mean <tmp>/contracts,
// as they would mean <service>/contracts in a real service.
import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Caches in the working directory (the temporary one), not beside these files.
  cacheDir: resolve('.vite'),
  // Resolve @treaty/core (and @treaty/core/vitest) to its TypeScript sources, as the repository's own config does.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { include: ['*.test.ts'], testTimeout: 30_000 },
})
