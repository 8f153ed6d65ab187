/**
 * `npm start` and `npm test` begin with `npm run -s bootstrap`. When installing fails (no registry, a proxy),
 * the installer's own error and a one-line hint must reach the terminal, although `-s` silences npm.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '@treaty/test-support'
import { afterAll, expect, it } from 'vitest'
import { cleanEnv, repoRoot, run } from './user-level/project.js'

let dir: string | undefined
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

it('prints the installer error and a hint when the registry is unreachable, also under npm run -s', async () => {
  dir = await mkdtemp(join(tmpdir(), 'treaty-bootstrap-'))
  const root = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { packageManager: string }
  // A project whose one dependency is in no store: the install has to ask the registry.
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'b', private: true, packageManager: root.packageManager }))
  const registry = `http://127.0.0.1:${await freePort()}/`
  const result = await run(process.execPath, [join(repoRoot, 'scripts/bootstrap.mjs')], {
    cwd: dir,
    env: cleanEnv({
      npm_config_loglevel: 'silent', // what `npm run -s` hands down
      npm_config_registry: registry,
      npm_config_fetch_retries: '0',
      npm_config_cache: join(dir, 'npm-cache'),
      npm_config_store_dir: join(dir, 'store'),
    }),
  })
  expect(result.code).toBe(1)
  expect(result.stderr).toContain('ECONNREFUSED')
  expect(result.stderr).toContain(`error: installing dependencies failed (npx ${root.packageManager} install exited 1)`)
  expect(result.stderr).toContain(`hint: check that ${registry} is reachable`)
}, 120_000)
