import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ErrorCodes, TreatyError } from '@treaty/core'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { main, run } from './cli.js'
import type { TreatyCommand } from './command.js'
import { ExitCode } from './exit-codes.js'
import { type Io, type Line, printed } from './verdict.js'

/** An in-memory terminal: what `main` writes, in order. */
function memoryIo(): Io & { written: Line[] } {
  const written: Line[] = []
  return { written, write: (stream, text) => void written.push({ stream, text }), tty: false, color: false, columns: 100 }
}

describe('the CLI returns verdicts', () => {
  let v1: string
  let compatible: string
  let breaking: string

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-verdicts-'))
    const schema = (properties: object, required: string[]) => JSON.stringify({ type: 'object', properties, required })
    v1 = join(dir, 'v1.json')
    compatible = join(dir, 'v2.json')
    breaking = join(dir, 'v3.json')
    await writeFile(v1, schema({ id: { type: 'string' } }, ['id']))
    await writeFile(compatible, schema({ id: { type: 'string' } }, []))
    await writeFile(breaking, schema({ id: { type: 'string' }, pages: { type: 'integer' } }, ['id', 'pages']))
  })

  afterEach(() => {
    // Nothing may leak into the process: a verdict is returned, never left in process.exitCode.
    expect(process.exitCode).toBeUndefined()
  })

  it('runs any number of times in one process, each run with its own exit code and output', async () => {
    const io = memoryIo()
    const typo = await run(['verfy', '--service', 'pdf-api'], { io })
    expect(typo.exitCode).toBe(ExitCode.USAGE)
    expect(printed(typo, 'stderr')).toContain('did you mean "treaty verify"?')
    expect(printed(typo, 'stdout')).toBe('')

    const ok = await run(['compat', v1, compatible], { io })
    expect(ok.exitCode, printed(ok, 'stderr')).toBe(ExitCode.OK)
    expect(printed(ok, 'stdout')).toContain('✓ compatible (backward)')
    expect(printed(ok, 'stderr')).toBe('')

    const incompatible = await run(['compat', v1, breaking], { io })
    expect(incompatible.exitCode).toBe(ExitCode.FAILED)
    expect(printed(incompatible, 'stdout')).toContain('✗ incompatible (backward)')
    expect(printed(incompatible, 'stdout')).not.toContain('✓ compatible')

    const unknown = await run(['compat', v1, compatible, '--frobnicate'], { io })
    expect(unknown.exitCode).toBe(ExitCode.USAGE)
    expect(printed(unknown, 'stderr')).toContain('unknown option for treaty compat: --frobnicate')
    expect(printed(unknown, 'stdout')).toBe('')

    const again = await run(['compat', v1, compatible, '--json'], { io })
    expect(again.exitCode).toBe(ExitCode.OK)
    expect(JSON.parse(printed(again, 'stdout'))).toMatchObject({ compatible: true, mode: 'backward' })

    // run() decides; only streamed output would go to io, and these commands stream none.
    expect(io.written).toEqual([])
  })

  it('main writes the verdict to its io and resolves to the exit code, help and version included', async () => {
    const io = memoryIo()
    expect(await main(['publish', '--version'], { io })).toBe(ExitCode.USAGE)
    expect(io.written.map((l) => l.stream)).toEqual(['stderr', 'stderr'])
    expect(io.written[1]!.text).toContain('--app-version')

    const help = memoryIo()
    expect(await main(['--help'], { io: help })).toBe(ExitCode.OK)
    const text = help.written.map((l) => l.text).join('')
    expect(text).toContain('treaty can-i-deploy')
    expect(text).toContain('Exit codes: 0 ok / deployable')

    const version = memoryIo()
    expect(await main(['--version'], { io: version })).toBe(ExitCode.OK)
    expect(version.written).toEqual([{ stream: 'stdout', text: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) }])
  })

  it('a failure inside a command keeps what it printed before, then the error and hint (a report is never hidden)', async () => {
    const table: TreatyCommand[] = [
      {
        command: 'report-then-fail',
        describe: 'prints a report, then publishing it fails',
        run: (_args, report) => {
          report.out('the report')
          throw new TreatyError(ErrorCodes.BROKER_UNREACHABLE, 'cannot reach the broker', { hint: 'check --broker-url' })
        },
      },
    ]
    const verdict = await run(['report-then-fail'], { table })
    expect(verdict.exitCode).toBe(ExitCode.BROKER)
    expect(verdict.output).toEqual([
      { stream: 'stdout', text: 'the report\n' },
      { stream: 'stderr', text: 'error: cannot reach the broker\n' },
      { stream: 'stderr', text: '  hint: check --broker-url\n' },
    ])
  })

  it('a missing file is a usage error in the verdict, not a crash', async () => {
    const verdict = await run(['compat', v1, join(tmpdir(), 'no-such-schema.json')])
    expect(verdict.exitCode).toBe(ExitCode.USAGE)
    expect(printed(verdict, 'stderr')).toMatch(/^error: .*no-such-schema\.json/)
  })
})
