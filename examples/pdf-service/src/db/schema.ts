/** The example's tables. pdf-api owns `jobs` and `job_transitions`; pdf-worker writes `pdfs` (and marks poison jobs failed). */
import type { FailoverPool } from './failover-pool.js'

const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS jobs (
    id uuid PRIMARY KEY,
    document_type text NOT NULL CHECK (document_type IN ('invoice', 'report')),
    title text NOT NULL,
    items jsonb NOT NULL,
    correlation_id text NOT NULL,
    status text NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
    failure_reason text,
    created_at timestamptz NOT NULL,
    done_at timestamptz
  )`,
  // Every status change, appended in the same transaction as the change: "done exactly once" is checkable.
  `CREATE TABLE IF NOT EXISTS job_transitions (
    id bigserial PRIMARY KEY,
    job_id uuid NOT NULL REFERENCES jobs (id),
    status text NOT NULL,
    detail text,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
  )`,
  'CREATE INDEX IF NOT EXISTS job_transitions_job ON job_transitions (job_id)',
  // One PDF per job, enforced by the primary key: a redelivered request can never add a second one.
  `CREATE TABLE IF NOT EXISTS pdfs (
    job_id uuid PRIMARY KEY REFERENCES jobs (id),
    pages integer NOT NULL,
    bytes integer NOT NULL,
    sha256 text NOT NULL,
    content bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
  )`,
]

/** Idempotent; concurrent callers serialise on an advisory lock. */
export async function migrate(db: FailoverPool): Promise<void> {
  await db.tx(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(7007)')
    for (const statement of STATEMENTS) await client.query(statement)
  })
}
