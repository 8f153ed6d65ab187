/**
 * The broker's schema, as versioned migrations. Append only: an applied migration is never edited (its
 * checksum is recorded and checked at start); a change is a new migration.
 *
 * Design notes:
 * - Contract content is stored once per hash (`contents`); `publications` link a consumer version and a
 *   provider to a content. Verifications are of a content hash, so they carry over to every consumer
 *   version that published the same content.
 * - Version order is the `service_versions.id` sequence: the order the broker first saw the versions.
 * - `deployments` keeps history; at most one current deployment per (environment, service), enforced by a
 *   partial unique index so concurrent brokers cannot both record one.
 * - Webhook deliveries are an outbox written in the same transaction as the event, which is what makes
 *   delivery at-least-once and survive restarts.
 * - SQL common to PostgreSQL 13+ and PGlite only.
 * - Migration 2 holds the hot reads as functions; read-functions.ts says why.
 * - Migration 3: provider schemas, one per provider version (what `treaty verify --static --publish` derived
 *   from its types), stored as canonical JSON with its hash so re-publishing identical content is a no-op.
 * - Migration 5: observations (`treaty observe`), one row per observer run × environment × provider version ×
 *   content × consumer version × channel holding that run's cumulative totals, so a re-sent batch is a no-op
 *   and counts only grow (GREATEST on upsert).
 * - Migration 8: channel retention (declared, or read from JetStream stream configs), one row per channel or
 *   subject pattern; can-i-deploy reads it with the deployment history (domain/retention.ts).
 * - Migration 9: can-i-deploy's facts in the order results were recorded, with a version's results for its contract
 *   with itself (read-functions.ts says why).
 */

import { DELETION_LOG_SQL } from './deletions.js'
import { DEPLOYMENT_FACTS_IN_RECORD_ORDER_SQL, READ_FUNCTIONS_SQL } from './read-functions.js'
import { RELEASES_MIGRATION_SQL } from './releases.js'

export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE services (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  main_branch text NOT NULL DEFAULT 'main',
  created_at timestamptz NOT NULL
);

CREATE TABLE service_versions (
  id bigserial PRIMARY KEY,
  service_id bigint NOT NULL REFERENCES services (id),
  version text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (service_id, version)
);

CREATE TABLE version_branches (
  version_id bigint NOT NULL REFERENCES service_versions (id),
  branch text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (version_id, branch)
);

CREATE TABLE version_tags (
  version_id bigint NOT NULL REFERENCES service_versions (id),
  tag text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (version_id, tag)
);

CREATE TABLE contents (
  hash text PRIMARY KEY,
  consumer_id bigint NOT NULL REFERENCES services (id),
  provider_id bigint NOT NULL REFERENCES services (id),
  document text NOT NULL,
  channels jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX contents_by_provider ON contents (provider_id, consumer_id);

CREATE TABLE publications (
  id bigserial PRIMARY KEY,
  consumer_version_id bigint NOT NULL REFERENCES service_versions (id),
  provider_id bigint NOT NULL REFERENCES services (id),
  content_hash text NOT NULL REFERENCES contents (hash),
  published_at timestamptz NOT NULL,
  UNIQUE (consumer_version_id, provider_id)
);
CREATE INDEX publications_by_provider ON publications (provider_id, consumer_version_id);
CREATE INDEX publications_by_content ON publications (content_hash);

CREATE TABLE verifications (
  id bigserial PRIMARY KEY,
  provider_version_id bigint NOT NULL REFERENCES service_versions (id),
  content_hash text NOT NULL REFERENCES contents (hash),
  success boolean NOT NULL,
  expectations jsonb NOT NULL,
  verified_at timestamptz NOT NULL
);
CREATE INDEX verifications_by_content ON verifications (content_hash, provider_version_id);
CREATE INDEX verifications_by_provider_version ON verifications (provider_version_id);

CREATE TABLE environments (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  production boolean NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE deployments (
  id bigserial PRIMARY KEY,
  environment_id bigint NOT NULL REFERENCES environments (id),
  service_id bigint NOT NULL REFERENCES services (id),
  version_id bigint NOT NULL REFERENCES service_versions (id),
  deployed_at timestamptz NOT NULL,
  undeployed_at timestamptz
);
CREATE UNIQUE INDEX deployments_current ON deployments (environment_id, service_id) WHERE undeployed_at IS NULL;
CREATE INDEX deployments_current_by_version ON deployments (version_id) WHERE undeployed_at IS NULL;

CREATE TABLE webhooks (
  id text PRIMARY KEY,
  url text NOT NULL,
  events text[] NOT NULL,
  description text,
  secret text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  webhook_id text NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event text NOT NULL,
  body text NOT NULL,
  correlation_id text,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz,
  last_status_code integer,
  last_error text,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);

CREATE TABLE webhook_attempts (
  id bigserial PRIMARY KEY,
  delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  attempted_at timestamptz NOT NULL,
  status_code integer,
  error text,
  duration_ms integer NOT NULL
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, attempt);
`,
  },
  { version: 2, name: 'read functions for can-i-deploy and contracts for verification', sql: READ_FUNCTIONS_SQL },
  {
    version: 3,
    name: 'provider schemas',
    sql: `
CREATE TABLE provider_schemas (
  provider_version_id bigint PRIMARY KEY REFERENCES service_versions (id),
  content_hash text NOT NULL,
  document text NOT NULL,
  published_at timestamptz NOT NULL
);
`,
  },
  { version: 4, name: 'releases, and the log of admin deletions', sql: RELEASES_MIGRATION_SQL + DELETION_LOG_SQL },
  {
    version: 5,
    name: 'observations of live traffic',
    sql: `
CREATE TABLE observations (
  run_id text NOT NULL,
  environment_id bigint NOT NULL REFERENCES environments (id),
  provider_version_id bigint NOT NULL REFERENCES service_versions (id),
  content_hash text NOT NULL REFERENCES contents (hash),
  consumer_version_id bigint NOT NULL REFERENCES service_versions (id),
  channel text NOT NULL,
  messages bigint NOT NULL,
  mismatches bigint NOT NULL,
  pointers jsonb NOT NULL,
  example jsonb,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  PRIMARY KEY (run_id, environment_id, provider_version_id, content_hash, consumer_version_id, channel)
);
CREATE INDEX observations_by_content ON observations (content_hash, provider_version_id);
`,
  },
  {
    version: 8,
    name: 'channel retention',
    sql: `
CREATE TABLE channel_retention (
  channel text PRIMARY KEY,
  policy text NOT NULL CHECK (policy IN ('limits', 'workqueue', 'interest', 'none')),
  max_age_ms bigint CHECK (max_age_ms > 0),
  max_messages bigint CHECK (max_messages > 0),
  dead_letter text,
  stream text,
  source text NOT NULL CHECK (source IN ('declared', 'jetstream')),
  updated_at timestamptz NOT NULL
);
CREATE INDEX deployments_history_by_environment ON deployments (environment_id, undeployed_at);
`,
  },
  {
    version: 9,
    name: 'can-i-deploy facts in the order results were recorded, with self-contracts',
    sql: DEPLOYMENT_FACTS_IN_RECORD_ORDER_SQL,
  },
]
