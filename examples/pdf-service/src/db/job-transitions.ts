import type { FailoverPool } from './failover-pool.js'

/** queued → failed, recorded once: both the api (enqueue failed) and the worker (dead letter) use it. */
export async function markJobFailed(db: FailoverPool, jobId: string, reason: string): Promise<void> {
  await db.tx(async (client) => {
    const { rowCount } = await client.query("UPDATE jobs SET status = 'failed', failure_reason = $2 WHERE id = $1 AND status = 'queued'", [
      jobId,
      reason,
    ])
    if (rowCount === 1)
      await client.query("INSERT INTO job_transitions (job_id, status, detail) VALUES ($1, 'failed', $2)", [jobId, reason])
  })
}
