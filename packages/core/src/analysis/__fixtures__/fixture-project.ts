/** Test helper: a throwaway TypeScript project on disk, so the analysis reads real files as a provider's would. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface FixtureProject {
  dir: string
  /** Absolute path of a fixture file, with forward slashes (as the analysis reports it). */
  path(file: string): string
  /** 1-based line of the first line of `file` that contains `text`. */
  lineOf(file: string, text: string): number
  remove(): void
}

export function writeFixtureProject(files: Record<string, string>): FixtureProject {
  const dir = mkdtempSync(join(tmpdir(), 'treaty-analysis-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  const path = (file: string) => join(dir, file).replaceAll('\\', '/')
  return {
    dir,
    path,
    lineOf(file, text) {
      const index = (files[file] ?? '').split('\n').findIndex((l) => l.includes(text))
      if (index === -1) throw new Error(`${text} is not in ${file}`)
      return index + 1
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
