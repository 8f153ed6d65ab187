/** The tarballs `npm run pack` writes, and what is inside each: the files a registry user would get. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { repoRoot, run } from './project.js'

export interface Manifest {
  name: string
  version: string
  main?: string
  types?: string
  bin?: Record<string, string>
  exports?: Record<string, unknown>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

export interface Tarball {
  file: string
  manifest: Manifest
  files: Set<string>
  read(path: string): string
}

/** Runs the repository's `pack` script (the same one `npm run pack` runs) into `dir`. */
export async function packAll(dir: string): Promise<Map<string, Tarball>> {
  const packed = await run(process.execPath, [join(repoRoot, 'scripts/pack.mjs'), dir], {
    cwd: repoRoot,
    env: { ...process.env } as Record<string, string>,
  })
  if (packed.code !== 0) throw new Error(`scripts/pack.mjs failed (${packed.code}):\n${packed.stdout}${packed.stderr}`)
  const tarballs = new Map<string, Tarball>()
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.tgz'))) {
    const file = join(dir, name)
    // Unpacked once, as npm unpacks it; read from disk (a tar call per source map takes minutes).
    const unpacked = join(dir, name.replace(/\.tgz$/, ''))
    await mkdir(unpacked)
    execFileSync('tar', ['-xzf', file, '-C', unpacked, '--strip-components=1'])
    const read = (path: string) => readFileSync(join(unpacked, path), 'utf8')
    const files = new Set(
      execFileSync('tar', ['-tzf', file], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((f) => f.replace(/^package\//, '')),
    )
    const manifest = JSON.parse(read('package.json')) as Manifest
    tarballs.set(manifest.name, { file, manifest, files, read })
  }
  return tarballs
}

/** Every file a manifest points at (main, types, bin, each exports target but the repository-only `source`). */
export function manifestTargets(manifest: Manifest): string[] {
  const found = new Set<string>()
  const walk = (value: unknown, condition: string) => {
    if (typeof value === 'string') found.add(`${condition}:${value.replace(/^\.\//, '')}`)
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k.startsWith('.') ? condition : k)
  }
  walk([manifest.main, manifest.types, manifest.bin, manifest.exports], 'default')
  return [...found].filter((entry) => !entry.startsWith('source:')).map((entry) => entry.slice(entry.indexOf(':') + 1))
}

/** Problems a user would hit: a missing build output, declaration or map, a map whose sources are not shipped, a test file shipped. */
export function packagingProblems(tarball: Tarball): string[] {
  const problems: string[] = []
  for (const target of manifestTargets(tarball.manifest)) if (!tarball.files.has(target)) problems.push(`${target} (named in package.json)`)
  for (const required of ['README.md', 'LICENSE', 'package.json']) if (!tarball.files.has(required)) problems.push(required)
  const js = [...tarball.files].filter((f) => f.startsWith('dist/') && f.endsWith('.js'))
  if (js.length === 0) problems.push('dist/**/*.js (nothing built)')
  // What tsc compiled from a shipped source (not, say, a web UI's bundled assets) ships its map and declarations.
  for (const file of js.filter((f) => tarball.files.has(f.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')))) {
    for (const companion of [`${file}.map`, file.replace(/\.js$/, '.d.ts'), file.replace(/\.js$/, '.d.ts.map')])
      if (!tarball.files.has(companion)) problems.push(companion)
    if (!tarball.files.has(`${file}.map`)) continue
    const map = JSON.parse(tarball.read(`${file}.map`)) as { sources: string[] }
    for (const source of map.sources) {
      const shipped = join(file, '..', source)
      if (!tarball.files.has(shipped)) problems.push(`${shipped} (a source of ${file}.map)`)
    }
  }
  for (const file of tarball.files) if (/\.test\.ts$|__fixtures__|\.tsbuildinfo$/.test(file)) problems.push(`${file} should not ship`)
  return problems
}
