/** A real broker process (`node dist/server.js`) serving freshly built UI assets, for the browser tests, the screenshots and the bench. */
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBuilt, spawnBroker } from '../../broker/test/support/broker-process.js'

const BUILD = fileURLToPath(new URL('../build.mjs', import.meta.url))

/** Bundles the app so the broker serves what the sources say (esbuild: about a second). */
export function buildAssets(): void {
  const r = spawnSync(process.execPath, [BUILD], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`build.mjs failed:\n${r.stdout}${r.stderr}`)
}

export interface UiBroker {
  url: string
  output(): string
  stop(): Promise<void>
}

/** PGlite's first start takes tens of seconds on a loaded machine; the start timeout allows for it. */
export async function startUiBroker(env: Record<string, string> = {}): Promise<UiBroker> {
  ensureBuilt()
  buildAssets()
  const dir = await mkdtemp(join(tmpdir(), 'treaty-ui-broker-'))
  const broker = await spawnBroker({ TREATY_DATA_DIR: join(dir, 'data'), ...env }, 180_000)
  return {
    url: broker.url,
    output: broker.output,
    async stop() {
      await broker.kill('SIGTERM')
      await rm(dir, { recursive: true, force: true })
    },
  }
}
