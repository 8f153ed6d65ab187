/** Service page: versions with branches, tags and environments; what it consumes and provides; the matrix of a version. */
import { api, type ServicePage } from '../api.js'
import { Layout, Show } from '../components.js'
import { shortDate, timeAgo } from '../format.js'
import { href, type Route } from '../router.js'
import { useApi } from '../use-api.js'

export function Service(props: { route: Route; name: string }) {
  const { name } = props
  const version = props.route.query.get('version') ?? undefined
  const loaded = useApi(async () => {
    const service = await api.service(name)
    const selected = version ?? service.versions[0]?.version
    const matrix = selected ? await api.matrix(name, selected) : null
    return { service, matrix, selected }
  }, [name, version])
  return (
    <Layout title={name} current="Overview">
      <Show loaded={loaded}>{(d) => <ServiceBody service={d.service} matrix={d.matrix} selected={d.selected} />}</Show>
    </Layout>
  )
}

type Matrix = Awaited<ReturnType<typeof api.matrix>>

function ServiceBody({ service, matrix, selected }: { service: ServicePage; matrix: Matrix | null; selected: string | undefined }) {
  const envsOf = (version: string) => service.deployments.filter((d) => d.version === version).map((d) => d.environment)
  return (
    <>
      <p>
        Main branch <code>{service.mainBranch}</code>. Known since {shortDate(service.createdAt)}.{' '}
        <a href={href('can-i-deploy', { service: service.name, version: service.versions[0]?.version })}>Can I deploy it?</a>
      </p>
      <div class="two">
        <section aria-labelledby="consumes-title">
          <h2 id="consumes-title">Consumes from ({service.consumes.length})</h2>
          <Integrations rows={service.consumes} side="consumer" self={service.name} />
        </section>
        <section aria-labelledby="provides-title">
          <h2 id="provides-title">Provides to ({service.provides.length})</h2>
          <Integrations rows={service.provides} side="provider" self={service.name} />
        </section>
      </div>
      <section aria-labelledby="versions-title">
        <h2 id="versions-title">Versions (newest {service.versions.length})</h2>
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Branches</th>
              <th scope="col">Tags</th>
              <th scope="col">Deployed in</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {service.versions.map((v) => (
              <tr key={v.version}>
                <td>
                  <a
                    href={href('services', service.name, { version: v.version })}
                    aria-current={v.version === selected ? 'true' : undefined}
                  >
                    {v.version}
                  </a>
                </td>
                <td>{v.branches.join(', ')}</td>
                <td>{v.tags.join(', ')}</td>
                <td>{envsOf(v.version).join(', ')}</td>
                <td>{timeAgo(v.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {matrix ? (
        <section aria-labelledby="matrix-title">
          <h2 id="matrix-title">
            Matrix of {service.name} {matrix.version}
          </h2>
          {matrix.rows.length === 0 ? (
            <p>No contracts involve this version.</p>
          ) : (
            <table class="grid" data-testid="matrix">
              <thead>
                <tr>
                  <th scope="col">Consumer</th>
                  <th scope="col">Provider</th>
                  <th scope="col">Verification</th>
                </tr>
              </thead>
              <tbody>
                {matrix.rows.map((r) => (
                  <tr key={`${r.consumer}${r.consumerVersion}${r.provider}${r.providerVersion}`}>
                    <td>
                      <a href={href('contracts', r.consumer, r.provider, { version: r.consumerVersion })}>
                        {r.consumer} {r.consumerVersion}
                      </a>
                    </td>
                    <td>
                      {r.provider} {r.providerVersion ?? ''}
                    </td>
                    <td>
                      {r.verification
                        ? `${r.verification.success ? 'passed' : 'failed'} (${r.verification.providerVersion}, ${timeAgo(r.verification.verifiedAt)})`
                        : 'not verified'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {matrix.truncated ? <p>Only the first rows are shown.</p> : null}
        </section>
      ) : null}
    </>
  )
}

function Integrations({ rows, side, self }: { rows: ServicePage['consumes']; side: 'consumer' | 'provider'; self: string }) {
  if (rows.length === 0) return <p>None.</p>
  return (
    <ul>
      {rows.map((r) => {
        const [consumer, provider] = side === 'consumer' ? [self, r.service] : [r.service, self]
        const v = r.latestVerification
        return (
          <li key={r.service}>
            <a href={href('services', r.service)}>{r.service}</a> · contract{' '}
            <a href={href('contracts', consumer, provider, { version: r.consumerVersion })}>{r.consumerVersion}</a> ·{' '}
            {v ? `${v.success ? 'verified' : 'failed'} by ${provider} ${v.providerVersion}` : 'not verified'}
          </li>
        )
      })}
    </ul>
  )
}
