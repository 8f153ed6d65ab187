#!/usr/bin/env node
/** `pdf-infra up|down|status|failover [--state-dir DIR] [--replicas N] [--json]`: a thin shell over infra.ts. */
import { parseArgs } from 'node:util'
import { down, failover, status, up } from './infra.js'
import { connectionEnv } from './state.js'

const USAGE = 'usage: pdf-infra up|down|status|failover [--state-dir DIR] [--replicas 1|3] [--json]'

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'state-dir': { type: 'string' }, replicas: { type: 'string' }, json: { type: 'boolean' }, 'keep-data': { type: 'boolean' } },
  })
  const stateDir = values['state-dir']
  switch (positionals[0]) {
    case 'up': {
      const state = await up({ stateDir, replicas: values.replicas ? Number(values.replicas) : 3 })
      const env = connectionEnv(state)
      console.log(`infra up (state in ${state.stateDir})`)
      for (const node of state.nats) console.log(`  ${node.name} az:${node.zone}  nats://127.0.0.1:${node.clientPort}  pid ${node.pid}`)
      for (const node of state.postgres.nodes) {
        console.log(
          `  ${node.name} ${node.name === state.postgres.primary ? 'primary' : 'standby'}  127.0.0.1:${node.port}  pid ${node.pid}`,
        )
      }
      console.log(`export NATS_URLS='${env.NATS_URLS}'\nexport DATABASE_URL='${env.DATABASE_URL}'`)
      return 0
    }
    case 'down':
      await down({ stateDir, keepData: values['keep-data'] })
      console.log('infra down')
      return 0
    case 'status': {
      const current = await status({ stateDir })
      if (!current) {
        console.log('infra is not up')
        return 1
      }
      if (values.json) {
        console.log(JSON.stringify(current, null, 2))
        return 0
      }
      for (const node of current.nats)
        console.log(`nats ${node.name} az:${node.zone} ${node.url} pid ${node.pid} ${node.alive ? 'up' : 'DOWN'}`)
      for (const stream of current.streams) {
        console.log(
          `stream ${stream.name} R${stream.replicas} leader ${stream.leader} replicas ${stream.replicasIn.join(', ')} messages ${stream.messages}`,
        )
      }
      for (const node of current.postgres) console.log(`postgres ${node.name} 127.0.0.1:${node.port} pid ${node.pid} ${node.role}`)
      console.log(`export NATS_URLS='${current.env.NATS_URLS}'\nexport DATABASE_URL='${current.env.DATABASE_URL}'`)
      return 0
    }
    case 'failover': {
      const result = await failover({ stateDir })
      console.log(`promoted ${result.promoted} in ${result.ms} ms`)
      return 0
    }
    default:
      console.error(USAGE)
      return 2
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
