// What adopting Treaty costs on disk: `du` of node_modules after `npm install` of each package alone (its
// tarball from `npm run pack`, with @treaty/core beside the CLI and the broker, as users install them), beside
// pact-js installed the same way in the same run. One fresh project per subject, outside the repository.
// Excludes: download time (the npm cache is used where it can be), the optional peers (ts-morph,
// json-schema-to-typescript), vitest. Usage: npm run bench:install-size [-- <pact-js version>]
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')
const pact = `@pact-foundation/pact@${process.argv[2] ?? '17.1.4'}`
const work = mkdtempSync(join(tmpdir(), 'treaty-install-size-'))
try {
  const packs = join(work, 'packs')
  execFileSync(process.execPath, [join(root, 'scripts/pack.mjs'), packs], { stdio: ['ignore', 'ignore', 'inherit'] })
  const tgz = (name) =>
    join(
      packs,
      readdirSync(packs).find((f) => f.startsWith(`treaty-${name}-`)),
    )
  const subjects = [
    ['@treaty/core', [tgz('core')]],
    ['@treaty/cli (+ core)', [tgz('core'), tgz('cli')]],
    // The broker serves the web UI, its dependency @treaty/ui (not on the registry: its tarball too).
    ['@treaty/broker (+ core, ui)', [tgz('core'), tgz('ui'), tgz('broker')]],
    [pact, [pact]],
  ]
  console.log('| installed | node_modules (du -sk) | packages |\n| --- | ---: | ---: |')
  for (const [name, specs] of subjects) {
    const dir = join(work, String(subjects.findIndex((s) => s[0] === name)))
    mkdirSync(dir)
    writeFileSync(join(dir, 'package.json'), '{"name":"size","private":true}\n')
    // npm's summary goes to stderr; only a failure's output is worth printing.
    const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
      cwd: dir,
      encoding: 'utf8',
    })
    if (install.status !== 0) throw new Error(`npm install ${specs.join(' ')} failed:\n${install.stdout}${install.stderr}`)
    const kb = Number(execFileSync('du', ['-sk', join(dir, 'node_modules')], { encoding: 'utf8' }).split('\t')[0])
    // `npm query *` lists the project itself too.
    const packages = JSON.parse(execFileSync('npm', ['query', '*'], { cwd: dir, encoding: 'utf8' })).length - 1
    console.log(`| ${name} | ${(kb / 1024).toFixed(1)} MB | ${packages} |`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
