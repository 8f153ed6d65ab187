/** Can I deploy? The form, and the broker's answer: the decision, each reason as a sentence, each row with its evidence. */
import { api, type CanIDeployAnswer } from '../api.js'
import { Layout, Show } from '../components.js'
import { href, navigate, type Route } from '../router.js'
import { useApi } from '../use-api.js'

export function CanIDeploy(props: { route: Route }) {
  const service = props.route.query.get('service') ?? ''
  const version = props.route.query.get('version') ?? ''
  const environment = props.route.query.get('environment') ?? ''
  const asked = service !== '' && version !== '' && environment !== ''
  const choices = useApi(async () => {
    const [services, environments] = await Promise.all([api.services(), api.environments()])
    return { services: services.services, environments: environments.environments }
  }, [])
  const answer = useApi(async () => (asked ? api.canIDeploy(service, version, environment) : null), [service, version, environment])
  return (
    <Layout title="Can I deploy?" current="Can I deploy?">
      <Show loaded={choices}>
        {(c) => (
          <form
            class="filters"
            aria-label="Ask can-i-deploy"
            onSubmit={(e) => {
              e.preventDefault()
              const f = new FormData(e.currentTarget)
              const s = String(f.get('service') ?? '')
              const typed = String(f.get('version') ?? '').trim()
              const latest = c.services.find((x) => x.name === s)?.latestVersion ?? ''
              navigate(href('can-i-deploy', { service: s, version: typed || latest, environment: String(f.get('environment') ?? '') }))
            }}
          >
            <label for="cid-service">Service</label>
            <select id="cid-service" name="service" value={service} required>
              <option value="">choose…</option>
              {c.services.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
            <label for="cid-version">Version</label>
            <input id="cid-version" name="version" value={version} placeholder="latest" />
            <label for="cid-env">Environment</label>
            <select id="cid-env" name="environment" value={environment} required>
              <option value="">choose…</option>
              {c.environments.map((e) => (
                <option key={e.name} value={e.name}>
                  {e.name}
                </option>
              ))}
            </select>
            <button type="submit">Ask</button>
          </form>
        )}
      </Show>
      {asked ? (
        <Show loaded={answer}>
          {(a) => (a ? <Answer answer={a} service={service} version={version} environment={environment} /> : null)}
        </Show>
      ) : null}
    </Layout>
  )
}

function Answer(props: { answer: CanIDeployAnswer; service: string; version: string; environment: string }) {
  const { answer } = props
  return (
    <section aria-labelledby="answer-title" data-testid="answer" data-deployable={String(answer.deployable)}>
      <h2 id="answer-title" class={answer.deployable ? 'yes' : 'no'}>
        {answer.deployable ? 'Yes' : 'No'}: {props.service} {props.version} {answer.deployable ? 'may' : 'may not'} go to{' '}
        {props.environment}
      </h2>
      <ul class="reasons">
        {answer.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {answer.rows.length > 0 ? (
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">Consumer</th>
              <th scope="col">Provider</th>
              <th scope="col">Status</th>
              <th scope="col">Decided by</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {answer.rows.map((r) => (
              <tr
                key={`${r.consumer}${r.consumerVersion}${r.provider}${r.providerVersion}`}
                class={r.status === 'failed' ? 'bad' : undefined}
              >
                <td>
                  {r.consumer} {r.consumerVersion}
                </td>
                <td>
                  {r.provider} {r.providerVersion ?? ''}
                </td>
                <td>{r.status}</td>
                <td>{r.mode ?? ''}</td>
                <td>
                  <a href={href('contracts', r.consumer, r.provider, { version: r.consumerVersion })}>contract and verification</a>
                  {r.differences && r.differences.length > 0 ? (
                    <ul>
                      {r.differences.map((d) => (
                        <li key={`${d.expectation}${d.part}${d.pointer}${d.kind}`} class="mismatch">
                          {d.expectation}: <code>{`${d.part}${d.pointer}`}</code> {d.kind}: {d.message}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
