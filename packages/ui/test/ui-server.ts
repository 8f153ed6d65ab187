/** A real broker process (`node dist/server.js`) serving freshly built UI assets, for the browser tests, the screenshots and the bench. */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type Broker, ensureBrokerBuilt, startBroker } from '@treaty/test-support'

const BUILD = fileURLToPath(new URL('../build.mjs', import.meta.url))

/** Bundles the app so the broker serves what the sources say (esbuild: about a second). */
export function buildAssets(): void {
  const r = spawnSync(process.execPath, [BUILD], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`build.mjs failed:\n${r.stdout}${r.stderr}`)
}

export type UiBroker = Broker

/** PGlite's first start takes tens of seconds on a loaded machine; the start timeout allows for it. */
export async function startUiBroker(env: Record<string, string> = {}): Promise<UiBroker> {
  ensureBrokerBuilt()
  buildAssets()
  return startBroker({ env })
}
