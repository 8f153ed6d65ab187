// `npm run pack [dir]`: one tarball per publishable workspace package (every packages/*/package.json not
// marked private, so a new package joins by its own manifest), written to dir (default packs/).
// pnpm packs them because it rewrites `workspace:` ranges to real versions, which `npm pack` leaves in
// place (npm then fails with EUNSUPPORTEDPROTOCOL). Each tarball is checked before it counts: every file its
// manifest points at is inside, and no workspace range is left.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const out = resolve(process.argv[2] ?? join(root, 'packs'))
const pnpm = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager

/** Every file a manifest points at: main, types, bin and each exports target. */
function targets(manifest) {
  const found = new Set()
  const walk = (value) => {
    if (typeof value === 'string') found.add(value.replace(/^\.\//, ''))
    else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v)
  }
  walk([manifest.main, manifest.types, manifest.bin, manifest.exports])
  return [...found].filter((file) => !file.includes('*'))
}

function check(tarball) {
  const files = new Set(
    execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, '')),
  )
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }))
  const problems = targets(manifest)
    .filter((file) => !files.has(file))
    .map((file) => `${file} is named in package.json but not in the tarball (run npm run build first)`)
  for (const required of ['README.md', 'LICENSE']) if (!files.has(required)) problems.push(`${required} is missing`)
  const text = JSON.stringify(manifest)
  if (text.includes('workspace:')) problems.push('a workspace: range was left in package.json')
  return problems
}

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private)

mkdirSync(out, { recursive: true })
let failed = false
for (const dir of packages) {
  const printed = execFileSync('npx', ['-y', pnpm, 'pack', '--pack-destination', out], { cwd: dir, encoding: 'utf8' })
  const tarball = printed.trim().split('\n').filter(Boolean).pop()
  const problems = check(tarball)
  for (const problem of problems) console.error(`${tarball}: ${problem}`)
  failed ||= problems.length > 0
  console.log(tarball)
}
process.exitCode = failed ? 1 : 0
