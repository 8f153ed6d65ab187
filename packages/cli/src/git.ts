/**
 * Defaults for `--app-version` and `--branch`: what a pipeline already knows (CI variables of the
 * common systems), else git, else nothing (the command then asks for the flag).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

const VERSION_VARS = ['GITHUB_SHA', 'CI_COMMIT_SHA', 'BUILDKITE_COMMIT', 'CIRCLE_SHA1', 'GIT_COMMIT', 'BITBUCKET_COMMIT', 'TRAVIS_COMMIT']
const BRANCH_VARS = [
  'GITHUB_HEAD_REF',
  'GITHUB_REF_NAME',
  'CI_COMMIT_REF_NAME',
  'BUILDKITE_BRANCH',
  'CIRCLE_BRANCH',
  'GIT_BRANCH',
  'BRANCH_NAME',
  'BITBUCKET_BRANCH',
  'TRAVIS_BRANCH',
]

function fromEnv(env: NodeJS.ProcessEnv, names: string[]): string | undefined {
  for (const name of names) {
    const v = env[name]?.trim()
    if (v) return v
  }
  return undefined
}

async function git(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, { cwd, timeout: 5000 })
    return stdout.trim() || undefined
  } catch {
    return undefined
  }
}

export async function defaultVersion(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return fromEnv(env, VERSION_VARS) ?? (await git(cwd, ['rev-parse', 'HEAD']))
}

export async function defaultBranch(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const branch = fromEnv(env, BRANCH_VARS) ?? (await git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']))
  // A detached HEAD names no branch.
  return branch === 'HEAD' ? undefined : branch?.replace(/^origin\//, '')
}
