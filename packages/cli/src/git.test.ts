import { execFileSync } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultBranch, defaultVersion } from './git.js'

async function repo(): Promise<{ dir: string; sha: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-git-'))
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim()
  git('init', '-q', '-b', 'feature/pdf-v2')
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'first')
  return { dir, sha: git('rev-parse', 'HEAD') }
}

describe('version and branch defaults', () => {
  it('come from git in a repository', async () => {
    const { dir, sha } = await repo()
    expect(await defaultVersion(dir, {})).toBe(sha)
    expect(await defaultBranch(dir, {})).toBe('feature/pdf-v2')
  })

  it('prefer the CI variables a pipeline sets', async () => {
    const { dir } = await repo()
    expect(await defaultVersion(dir, { GITHUB_SHA: 'abc123' })).toBe('abc123')
    expect(await defaultBranch(dir, { CI_COMMIT_REF_NAME: 'release' })).toBe('release')
    expect(await defaultBranch(dir, { GIT_BRANCH: 'origin/main' })).toBe('main')
  })

  it('are absent outside a repository and on a detached HEAD', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-nogit-'))
    expect(await defaultVersion(dir, {})).toBeUndefined()
    expect(await defaultBranch(dir, {})).toBeUndefined()
    const { dir: r, sha } = await repo()
    execFileSync('git', ['checkout', '-q', sha], { cwd: r })
    expect(await defaultBranch(r, {})).toBeUndefined()
  })
})
