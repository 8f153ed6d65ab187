/**
 * What Treaty's tests share (private: never packed). Processes on free loopback ports with their log kept
 * and shown when they fail to start, stopped by PID; temp dirs; nats-server, the broker, RabbitMQ (and
 * PostgreSQL in `@treaty/test-support/postgres`, plain JavaScript for the benchmarks); contract fixtures.
 */
export {
  type Broker,
  type BrokerOptions,
  type BrokerProcess,
  brokerForFile,
  ensureBrokerBuilt,
  spawnBroker,
  startBroker,
} from './broker.js'
export { buildProject } from './build.js'
export {
  auditContract,
  bad,
  contractsProject,
  deployWorkerAndApi,
  encode,
  good,
  observed,
  pdfRequestContract,
  workerContract,
} from './contracts.js'
export { type NatsServer, startNatsServer } from './nats-server.js'
export { BROKER_DIR, BROKER_SERVER, REPO_ROOT, TREATY_BIN } from './paths.js'
export { freePort, waitForPort } from './ports.mjs'
export { type StartOptions, startProcess, type TestProcess } from './process.js'
export { type RabbitServer, startRabbitServer } from './rabbitmq-server.js'
export { type TempDir, tempDir } from './temp.js'
