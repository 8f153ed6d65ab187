import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contractSchema, parseContract, validate } from '../src/index.js'
import { coreSource, repoRoot, runVitest, workDir } from './run-vitest.js'

async function between(file: string, start: string, end: string): Promise<string> {
  const text = await readFile(join(repoRoot, file), 'utf8')
  const from = text.indexOf(start)
  expect(from, `${start} in ${file}`).toBeGreaterThanOrEqual(0)
  return text.slice(from + start.length, text.indexOf(end, from + start.length))
}

const readmeConsumerExample = async () => (await between('README.md', '<!-- consumer-example -->', '```\n\n')).replace(/^\s*```ts/, '')

describe('documentation stays true', () => {
  it('the complete example of docs/contract-format.md is a valid contract', async () => {
    const section = await between('docs/contract-format.md', '## Complete example', '\n## ')
    const json = JSON.parse(section.slice(section.indexOf('```json') + 7, section.lastIndexOf('```')))
    expect(validate(contractSchema, json)).toEqual([])
    expect(parseContract(json).expectations).toHaveLength(1)
  })

  it("the README's provider example is the provider test that runs end to end", async () => {
    const readme = (await between('README.md', '<!-- provider-example -->', '```\n\n')).replace(/^\s*```ts/, '')
    const test = await between(
      'packages/core/test/__fixtures__/provider-e2e/provider.test.ts',
      '// docs:verify-provider:start\n',
      '// docs:verify-provider:end',
    )
    expect(readme.trim()).toBe(test.trim())
  })

  it("the README's failing-test output is what vitest prints for its example with the `?.` left out", async () => {
    const shown = (await between('README.md', 'the test would fail with:\n\n```\n', '```')).trim()
    const example = await readmeConsumerExample()
    // The README's mistake, which tsc would refuse too; vitest strips the types unchecked, so the test runs.
    const broken = example.replace('request.options?.pageSize', 'request.options.pageSize')
    expect(broken).not.toBe(example)
    const dir = await workDir('readme-failure')
    try {
      await writeFile(join(dir, 'consumer.test.ts'), broken.replace("from '@treaty/core'", `from ${JSON.stringify(coreSource)}`))
      const run = await runVitest(dir, ['--reporter=default'])
      expect(run.code).toBe(1)
      // The whole message: the next line is the first stack frame.
      expect(run.output).toContain(`${shown}\n ❯ `)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it("the README's consumer example is the test that runs in CI", async () => {
    const readme = await readmeConsumerExample()
    const test = await between(
      'packages/core/test/readme-consumer.test.ts',
      '// README:consumer-example:start\n',
      '// README:consumer-example:end',
    )
    expect(readme.trim()).toBe(test.trim())
  })
})
