import { describe, expect, it } from 'vitest'
import { startProcess } from './process.js'

const node = (script: string) => ({ command: process.execPath, args: ['-e', script] })

describe('a process a test starts', () => {
  it('is ready with what its ready line names, and stops by PID', async () => {
    const p = await startProcess({
      name: 'echo-server',
      ...node("console.log('booting'); console.log('listening on http://127.0.0.1:1234'); setInterval(() => {}, 1000)"),
      ready: /listening on (http:\/\/\S+)/,
    })
    expect(p.ready).toBe('http://127.0.0.1:1234')
    expect(p.output()).toContain('booting')
    expect(await p.kill('SIGKILL')).toBe('SIGKILL')
  })

  it('that exits before it is ready fails with its name, exit code and log', async () => {
    await expect(
      startProcess({ name: 'broken-server', ...node("console.error('port already in use'); process.exit(3)"), ready: /listening/ }),
    ).rejects.toThrow(/broken-server exited \(3\) before it was ready[\s\S]*port already in use/)
  })

  it('that never says it is ready is killed at the timeout, and its log is in the error', async () => {
    let pid = 0
    const started = startProcess({
      name: 'silent-server',
      ...node("console.log('pid ' + process.pid); setInterval(() => {}, 1000)"),
      ready: /listening/,
      timeoutMs: 3000,
    })
    await expect(started).rejects.toThrow(/silent-server did not become ready within 3 s[\s\S]*pid (\d+)/)
    pid = Number(/pid (\d+)/.exec(String(await started.catch((e: Error) => e.message)))?.[1])
    expect(() => process.kill(pid, 0)).toThrow()
  })
})
