/** One way to connect to the cluster: every seed URL, reconnect forever, quickly. */
import { connect, type NatsConnection } from '@nats-io/transport-node'

export async function connectNats(servers: string[], name: string): Promise<NatsConnection> {
  return connect({
    servers,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 100,
    waitOnFirstConnect: true,
    timeout: 5_000,
  })
}
