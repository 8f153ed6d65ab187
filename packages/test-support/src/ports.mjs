// Loopback ports for test servers. Plain JavaScript so the benchmarks (run by node without a build step) share it.
import { createServer, connect as tcpConnect } from 'node:net'

/** A loopback port free right now (the OS picks it; the caller binds it soon after). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Whether something accepts TCP connections on the loopback port within `timeoutMs`. */
export async function waitForPort(port, timeoutMs) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const open = await new Promise((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}
