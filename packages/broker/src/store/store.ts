/**
 * The store: one object over one database (PGlite or PostgreSQL), opened and migrated once. Writes that
 * raise events queue their webhook deliveries in the same transaction; listeners hear about it after commit.
 * It holds no state another broker instance would need: everything lives in the database.
 */
import { randomUUID } from 'node:crypto'
import { DEFAULT_DATA_DIR } from '@treaty/core/broker-options'
import type { ChannelRetention, ChannelRetentionRequest } from '@treaty/core/client'
import type { CanIDeployInput } from '../domain/can-i-deploy.js'
import type { BrokerEvent } from '../webhooks/events.js'
import { loadCanIDeployFacts } from './can-i-deploy-facts.js'
import { type ContractQuery, getContract, getContractsOfVersion, type StoredContract } from './contracts.js'
import { type Database, type Queryable, withTransaction } from './database.js'
import { type Actor, type Deletion, deleteService, deleteVersion, listDeletions } from './deletions.js'
import {
  type Deployment,
  type DeploymentRecorded,
  type Environment,
  environmentExists,
  listDeployments,
  listEnvironments,
  putEnvironment,
  recordDeployment,
} from './environments.js'
import { loadDocuments, loadMatrixFacts, loadVerificationCandidates } from './facts.js'
import { requireSelectedConsumers, type SelectedConsumer } from './known-names.js'
import { migrate } from './migrate.js'
import { loadObservationFacts, type ObservationInput, recordObservations } from './observations.js'
import { IN_MEMORY, openPgliteDatabase } from './pglite-database.js'
import { openPostgresDatabase } from './postgres-database.js'
import {
  getProviderSchema,
  type ProviderSchemaInput,
  type ProviderSchemaPublished,
  publishProviderSchema,
  type StoredProviderSchema,
} from './provider-schemas.js'
import { type PublishInput, type PublishResult, publishContracts } from './publish.js'
import { type LifecycleRecorded, recordRelease, recordSupportEnded, recordUndeployment } from './releases.js'
import {
  createVersion,
  getService,
  listServices,
  type ServiceDetail,
  type ServiceSummary,
  setMainBranch,
  type VersionCreated,
} from './services.js'
import { getChannelRetention, listChannelRetention, loadExpectations, providersOfChannel, putChannelRetention } from './stream-safety.js'
import { recordVerification, type VerificationInput, type VerificationRecorded } from './verifications.js'
import {
  type AttemptOutcome,
  claimDueDeliveries,
  createWebhook,
  type DeliveryLog,
  type DueDelivery,
  deleteWebhook,
  enqueueDeliveries,
  listDeliveries,
  listWebhooks,
  queueDepth,
  recordAttempt,
  type Webhook,
} from './webhooks.js'

export { DEFAULT_DATA_DIR }

export interface StoreOptions {
  /** PostgreSQL connection string. When set, PostgreSQL is used and `dataDir` is ignored. */
  databaseUrl?: string
  /** PGlite data directory (default `.treaty/broker-data`); `memory://` keeps everything in memory. */
  dataDir?: string
  /** PostgreSQL pool size per broker instance (default 10). */
  maxConnections?: number
  /** The time every row is stamped with. Injected by tests. */
  clock?: () => Date
  /** Ids for webhooks and events. Injected by tests. */
  randomId?: () => string
  /** Called when an idle PostgreSQL connection breaks. */
  onIdleError?: (err: Error) => void
}

export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const db = options.databaseUrl
    ? await openPostgresDatabase({
        connectionString: options.databaseUrl,
        ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
        ...(options.onIdleError ? { onIdleError: options.onIdleError } : {}),
      })
    : await openPgliteDatabase(options.dataDir ?? DEFAULT_DATA_DIR)
  const clock = options.clock ?? (() => new Date())
  try {
    await migrate(db, undefined, clock())
    // Statistics as of now, before the first read is planned (PGlite has no autovacuum to provide them).
    await db.analyze()
  } catch (err) {
    await db.close().catch(() => {})
    throw err
  }
  return new Store(db, clock, options.randomId ?? randomUUID)
}

export { IN_MEMORY }

export class Store {
  private readonly queuedListeners = new Set<() => void>()

  constructor(
    readonly db: Database,
    private readonly clock: () => Date,
    private readonly randomId: () => string,
  ) {}

  get driver(): Database['driver'] {
    return this.db.driver
  }

  get location(): string {
    return this.db.location
  }

  now(): Date {
    return this.clock()
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1')
  }

  close(): Promise<void> {
    return this.db.close()
  }

  /** `listener` runs after a transaction that queued webhook deliveries has committed. */
  onDeliveriesQueued(listener: () => void): () => void {
    this.queuedListeners.add(listener)
    return () => this.queuedListeners.delete(listener)
  }

  /** Runs a write and queues its events' deliveries in the same transaction. */
  private async write<T>(
    correlationId: string | undefined,
    fn: (tx: Queryable, now: Date) => Promise<{ result: T; events: BrokerEvent[] }>,
  ): Promise<T> {
    let queued = 0
    const result = await withTransaction(this.db, async (tx) => {
      queued = 0
      const now = this.clock()
      const out = await fn(tx, now)
      for (const e of out.events) queued += await enqueueDeliveries(tx, e, this.randomId(), correlationId, now)
      return out.result
    })
    if (queued > 0) for (const l of this.queuedListeners) l()
    return result
  }

  publish(input: PublishInput, correlationId?: string): Promise<PublishResult> {
    return this.write(correlationId, (tx, now) => publishContracts(tx, input, now))
  }

  recordVerification(input: VerificationInput, correlationId?: string): Promise<VerificationRecorded> {
    return this.write(correlationId, (tx, now) => recordVerification(tx, input, now))
  }

  publishProviderSchema(input: ProviderSchemaInput): Promise<ProviderSchemaPublished> {
    return withTransaction(this.db, (tx) => publishProviderSchema(tx, input, this.clock()))
  }

  getProviderSchema(provider: string, version: string | undefined, versionPath?: string): Promise<StoredProviderSchema> {
    return getProviderSchema(this.db, provider, version, versionPath)
  }

  recordObservations(input: ObservationInput): Promise<{ recorded: number }> {
    return withTransaction(this.db, (tx) => recordObservations(tx, input, this.clock()))
  }

  loadObservationFacts(contentHashes: readonly string[]) {
    return loadObservationFacts(this.db, contentHashes)
  }

  recordDeployment(environment: string, service: string, version: string, correlationId?: string): Promise<DeploymentRecorded> {
    return this.write(correlationId, (tx, now) => recordDeployment(tx, environment, service, version, now))
  }

  recordUndeployment(environment: string, service: string): Promise<LifecycleRecorded> {
    return this.write(undefined, async (tx, now) => ({ result: await recordUndeployment(tx, environment, service, now), events: [] }))
  }

  recordRelease(environment: string, service: string, version: string): Promise<LifecycleRecorded> {
    return this.write(undefined, async (tx, now) => ({ result: await recordRelease(tx, environment, service, version, now), events: [] }))
  }

  recordSupportEnded(environment: string, service: string, version: string): Promise<LifecycleRecorded> {
    return this.write(undefined, async (tx, now) => ({
      result: await recordSupportEnded(tx, environment, service, version, now),
      events: [],
    }))
  }

  deleteService(service: string, actor: Actor): Promise<Deletion> {
    return withTransaction(this.db, (tx) => deleteService(tx, service, actor, this.clock()))
  }

  deleteVersion(service: string, version: string, actor: Actor): Promise<Deletion> {
    return withTransaction(this.db, (tx) => deleteVersion(tx, service, version, actor, this.clock()))
  }

  listDeletions(): Promise<Deletion[]> {
    return listDeletions(this.db)
  }

  putEnvironment(name: string, production: boolean | undefined): Promise<{ environment: Environment; created: boolean }> {
    return withTransaction(this.db, (tx) => putEnvironment(tx, name, production, this.clock()))
  }

  listEnvironments(): Promise<Environment[]> {
    return listEnvironments(this.db)
  }

  environmentExists(name: string): Promise<boolean> {
    return environmentExists(this.db, name)
  }

  listDeployments(environment: string, includeHistory: boolean): Promise<Deployment[]> {
    return listDeployments(this.db, environment, includeHistory)
  }

  listServices(): Promise<ServiceSummary[]> {
    return listServices(this.db)
  }

  getService(name: string, versionLimit: number, path?: string): Promise<ServiceDetail> {
    return getService(this.db, name, versionLimit, path)
  }

  createVersion(input: { service: string; version: string; branch?: string | undefined }): Promise<VersionCreated> {
    return withTransaction(this.db, (tx) => createVersion(tx, input, this.clock()))
  }

  setMainBranch(name: string, mainBranch: string): Promise<void> {
    return setMainBranch(this.db, name, mainBranch)
  }

  getContract(consumer: string, provider: string, q: ContractQuery): Promise<StoredContract> {
    return getContract(this.db, consumer, provider, q)
  }

  getContractsOfVersion(consumer: string, version: string): Promise<StoredContract[]> {
    return getContractsOfVersion(this.db, consumer, version)
  }

  loadVerificationCandidates(
    provider: string,
    explicit: readonly { consumer: string; version: string }[],
    environments: readonly string[],
  ) {
    return loadVerificationCandidates(this.db, provider, explicit, environments)
  }

  requireSelectedConsumers(selected: readonly SelectedConsumer[]): Promise<void> {
    return requireSelectedConsumers(this.db, selected)
  }

  loadDocuments(hashes: readonly string[]) {
    return loadDocuments(this.db, hashes)
  }

  /** Everything can-i-deploy decides `service@version` → `environment` from, as of now. */
  loadCanIDeployFacts(service: string, version: string, environment: string): Promise<CanIDeployInput> {
    return loadCanIDeployFacts(this.db, service, version, environment, this.clock())
  }

  loadMatrixFacts(service: string, version: string | undefined) {
    return loadMatrixFacts(this.db, service, version)
  }

  createWebhook(w: Omit<Parameters<typeof createWebhook>[1], 'id'>): Promise<Webhook> {
    return createWebhook(this.db, { ...w, id: this.randomId() }, this.clock())
  }

  listWebhooks(): Promise<Webhook[]> {
    return listWebhooks(this.db)
  }

  deleteWebhook(id: string): Promise<void> {
    return deleteWebhook(this.db, id)
  }

  listDeliveries(webhookId: string, limit: number): Promise<DeliveryLog[]> {
    return listDeliveries(this.db, webhookId, limit)
  }

  claimDueDeliveries(leaseMs: number, limit: number): Promise<DueDelivery[]> {
    return claimDueDeliveries(this.db, this.clock(), leaseMs, limit)
  }

  recordAttempt(d: DueDelivery, outcome: AttemptOutcome): Promise<void> {
    return withTransaction(this.db, (tx) => recordAttempt(tx, d, outcome, this.clock()))
  }

  queueDepth(): Promise<number> {
    return queueDepth(this.db)
  }

  putChannelRetention(channel: string, r: ChannelRetentionRequest): Promise<{ retention: ChannelRetention; created: boolean }> {
    return withTransaction(this.db, (tx) => putChannelRetention(tx, channel, r, this.clock()))
  }

  getChannelRetention(channel: string): Promise<ChannelRetention> {
    return getChannelRetention(this.db, channel)
  }

  listChannelRetention(): Promise<ChannelRetention[]> {
    return listChannelRetention(this.db)
  }

  providersOfChannel(channel: string): Promise<string[]> {
    return providersOfChannel(this.db, channel)
  }

  loadExpectations(hashes: readonly string[]) {
    return loadExpectations(this.db, hashes)
  }
}
