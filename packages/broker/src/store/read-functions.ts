/**
 * Migration 2: the two hot reads (can-i-deploy's facts, a provider's verification candidates) as PL/pgSQL
 * functions returning one JSON document each.
 *
 * Why functions: PostgreSQL spends most of these reads *planning* the statement (2.5 ms of 3.3 ms on PGlite,
 * measured with bench/broker), and PGlite cannot keep named prepared statements. A PL/pgSQL function's
 * statements are planned once per session and the plan reused, on PGlite and PostgreSQL alike. They only
 * gather rows; every decision stays in `domain/`. Changing them means a new migration (CREATE OR REPLACE).
 *
 * Both are the same SQL the store would otherwise send; see store/facts.ts for what each field means.
 */
export const READ_FUNCTIONS_SQL = `
CREATE FUNCTION treaty_deployment_facts(p_service text, p_version text, p_environment text) RETURNS json
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN (
    WITH svc AS (SELECT id FROM services WHERE name = p_service),
    ver AS (SELECT id FROM service_versions WHERE service_id = (SELECT id FROM svc) AND version = p_version),
    env AS (SELECT id FROM environments WHERE name = p_environment),
    consumes AS (
      SELECT p_service AS consumer, p_version AS version, ps.name AS provider, p.provider_id, p.content_hash, c.channels
        FROM publications p JOIN services ps ON ps.id = p.provider_id JOIN contents c ON c.hash = p.content_hash
       WHERE p.consumer_version_id = (SELECT id FROM ver)
    ),
    deployed AS (
      SELECT DISTINCT c.provider AS service, v.version, v.id AS version_id
        FROM consumes c
        JOIN deployments d ON d.environment_id = (SELECT id FROM env) AND d.service_id = c.provider_id AND d.undeployed_at IS NULL
        JOIN service_versions v ON v.id = d.version_id
    ),
    -- From the provider's few consumers to their current deployment, not from every deployment in the environment.
    consumers AS (SELECT DISTINCT consumer_id FROM contents WHERE provider_id = (SELECT id FROM svc)),
    consumed_by AS (
      SELECT cs.name AS consumer, cv.version, p_service AS provider, p.content_hash, c.channels
        FROM consumers k
        JOIN deployments d ON d.environment_id = (SELECT id FROM env) AND d.service_id = k.consumer_id AND d.undeployed_at IS NULL
        JOIN publications p ON p.consumer_version_id = d.version_id AND p.provider_id = (SELECT id FROM svc)
        JOIN service_versions cv ON cv.id = d.version_id
        JOIN services cs ON cs.id = k.consumer_id
        JOIN contents c ON c.hash = p.content_hash
    ),
    -- Two index lookups on verifications (content_hash, provider_version_id), not one OR that scans them all.
    verifs AS (
      SELECT vr.content_hash, d.service AS provider, d.version, vr.success, vr.verified_at
        FROM consumes c
        JOIN deployed d ON d.service = c.provider
        JOIN verifications vr ON vr.content_hash = c.content_hash AND vr.provider_version_id = d.version_id
      UNION
      SELECT vr.content_hash, p_service, p_version, vr.success, vr.verified_at
        FROM (SELECT DISTINCT content_hash FROM consumed_by) cb
        JOIN verifications vr ON vr.content_hash = cb.content_hash AND vr.provider_version_id = (SELECT id FROM ver)
    )
    SELECT json_build_object(
      'service_id', (SELECT id FROM svc),
      'version_id', (SELECT id FROM ver),
      'environment_id', (SELECT id FROM env),
      'consumes', (SELECT coalesce(json_agg(json_build_object('consumer', consumer, 'version', version, 'provider', provider,
                     'content_hash', content_hash, 'channels', channels)), '[]') FROM consumes),
      'consumed_by', (SELECT coalesce(json_agg(consumed_by), '[]') FROM consumed_by),
      'deployed', (SELECT coalesce(json_agg(json_build_object('service', service, 'version', version)), '[]') FROM deployed),
      'verifications', (SELECT coalesce(json_agg(verifs ORDER BY verified_at), '[]') FROM verifs)
    )
  );
END
$fn$;

CREATE FUNCTION treaty_verification_candidates(p_provider text, p_consumers text[], p_versions text[], p_environments text[])
RETURNS json LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN (
    WITH prov AS (SELECT id, main_branch FROM services WHERE name = p_provider),
    pubs AS (
      SELECT p.id, p.content_hash, p.published_at, v.id AS version_id, v.version, v.service_id
        FROM publications p JOIN service_versions v ON v.id = p.consumer_version_id
       WHERE p.provider_id = (SELECT id FROM prov)
    ),
    candidate_ids AS (
      SELECT id FROM (
        SELECT DISTINCT ON (pubs.service_id, b.branch) pubs.id
          FROM pubs JOIN version_branches b ON b.version_id = pubs.version_id
         ORDER BY pubs.service_id, b.branch, pubs.version_id DESC) heads
      UNION
      SELECT id FROM (SELECT DISTINCT ON (service_id) id FROM pubs ORDER BY service_id, version_id DESC) latest
      UNION
      SELECT pubs.id FROM pubs JOIN deployments d ON d.version_id = pubs.version_id AND d.undeployed_at IS NULL
      UNION
      SELECT pubs.id FROM pubs JOIN services s ON s.id = pubs.service_id
        JOIN unnest(p_consumers, p_versions) AS asked (consumer, version) ON asked.consumer = s.name AND asked.version = pubs.version
    ),
    candidates AS (
      SELECT s.name AS consumer, s.main_branch, pubs.version, pubs.version_id, pubs.content_hash, pubs.published_at,
             ARRAY(SELECT b.branch FROM version_branches b WHERE b.version_id = pubs.version_id ORDER BY b.branch) AS branches,
             ARRAY(SELECT e.name FROM deployments d JOIN environments e ON e.id = d.environment_id
                    WHERE d.version_id = pubs.version_id AND d.undeployed_at IS NULL ORDER BY e.name) AS deployed_in
        FROM pubs JOIN candidate_ids c ON c.id = pubs.id JOIN services s ON s.id = pubs.service_id
    ),
    successes AS (
      SELECT vr.content_hash, pv.version, vr.verified_at,
             ARRAY(SELECT b.branch FROM version_branches b WHERE b.version_id = pv.id ORDER BY b.branch) AS branches
        FROM (SELECT DISTINCT content_hash FROM candidates) ch
        JOIN verifications vr ON vr.content_hash = ch.content_hash AND vr.success
        JOIN service_versions pv ON pv.id = vr.provider_version_id AND pv.service_id = (SELECT id FROM prov)
    )
    SELECT json_build_object(
      'main_branch', (SELECT main_branch FROM prov),
      'candidates', (SELECT coalesce(json_agg(candidates), '[]') FROM candidates),
      'successes', (SELECT coalesce(json_agg(successes), '[]') FROM successes),
      'environments', (SELECT coalesce(json_agg(name), '[]') FROM environments WHERE name = ANY(p_environments))
    )
  );
END
$fn$;
`

/**
 * Migration 9: can-i-deploy's facts list a provider version's results for a content in the order they were
 * recorded (`verified_at`, then `id`), as the matrix and the pair reads do. Migration 2 ordered by `verified_at`
 * alone, so of two results recorded within one millisecond either could come last and count as the latest: a
 * failure recorded after a success could leave can-i-deploy saying yes. They also include the version's own
 * results for its contract with itself (a service that consumes what it sends), which can-i-deploy now checks.
 * Migration 2 stays as it was applied (append only); this replaces the function whole.
 */
export const DEPLOYMENT_FACTS_IN_RECORD_ORDER_SQL = `
CREATE OR REPLACE FUNCTION treaty_deployment_facts(p_service text, p_version text, p_environment text) RETURNS json
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN (
    WITH svc AS (SELECT id FROM services WHERE name = p_service),
    ver AS (SELECT id FROM service_versions WHERE service_id = (SELECT id FROM svc) AND version = p_version),
    env AS (SELECT id FROM environments WHERE name = p_environment),
    consumes AS (
      SELECT p_service AS consumer, p_version AS version, ps.name AS provider, p.provider_id, p.content_hash, c.channels
        FROM publications p JOIN services ps ON ps.id = p.provider_id JOIN contents c ON c.hash = p.content_hash
       WHERE p.consumer_version_id = (SELECT id FROM ver)
    ),
    deployed AS (
      SELECT DISTINCT c.provider AS service, v.version, v.id AS version_id
        FROM consumes c
        JOIN deployments d ON d.environment_id = (SELECT id FROM env) AND d.service_id = c.provider_id AND d.undeployed_at IS NULL
        JOIN service_versions v ON v.id = d.version_id
    ),
    -- From the provider's few consumers to their current deployment, not from every deployment in the environment.
    consumers AS (SELECT DISTINCT consumer_id FROM contents WHERE provider_id = (SELECT id FROM svc)),
    consumed_by AS (
      SELECT cs.name AS consumer, cv.version, p_service AS provider, p.content_hash, c.channels
        FROM consumers k
        JOIN deployments d ON d.environment_id = (SELECT id FROM env) AND d.service_id = k.consumer_id AND d.undeployed_at IS NULL
        JOIN publications p ON p.consumer_version_id = d.version_id AND p.provider_id = (SELECT id FROM svc)
        JOIN service_versions cv ON cv.id = d.version_id
        JOIN services cs ON cs.id = k.consumer_id
        JOIN contents c ON c.hash = p.content_hash
    ),
    -- Two index lookups on verifications (content_hash, provider_version_id), not one OR that scans them all.
    verifs AS (
      SELECT vr.id, vr.content_hash, d.service AS provider, d.version, vr.success, vr.verified_at
        FROM consumes c
        JOIN deployed d ON d.service = c.provider
        JOIN verifications vr ON vr.content_hash = c.content_hash AND vr.provider_version_id = d.version_id
      UNION
      SELECT vr.id, vr.content_hash, p_service, p_version, vr.success, vr.verified_at
        FROM (SELECT content_hash FROM consumed_by UNION SELECT content_hash FROM consumes WHERE provider = p_service) cb
        JOIN verifications vr ON vr.content_hash = cb.content_hash AND vr.provider_version_id = (SELECT id FROM ver)
    )
    SELECT json_build_object(
      'service_id', (SELECT id FROM svc),
      'version_id', (SELECT id FROM ver),
      'environment_id', (SELECT id FROM env),
      'consumes', (SELECT coalesce(json_agg(json_build_object('consumer', consumer, 'version', version, 'provider', provider,
                     'content_hash', content_hash, 'channels', channels)), '[]') FROM consumes),
      'consumed_by', (SELECT coalesce(json_agg(consumed_by), '[]') FROM consumed_by),
      'deployed', (SELECT coalesce(json_agg(json_build_object('service', service, 'version', version)), '[]') FROM deployed),
      'verifications', (SELECT coalesce(json_agg(verifs ORDER BY verified_at, id), '[]') FROM verifs)
    )
  );
END
$fn$;
`
