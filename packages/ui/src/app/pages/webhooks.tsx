/** Webhooks: subscriptions and their delivery log, every attempt. The API needs an admin token for these. */
import { ApiError, api } from '../api.js'
import { Layout, Show } from '../components.js'
import { shortDate } from '../format.js'
import { useApi } from '../use-api.js'

export function Webhooks() {
  const loaded = useApi(async () => {
    const { webhooks } = await api.webhooks()
    return Promise.all(webhooks.map(async (w) => ({ webhook: w, deliveries: (await api.deliveries(w.id)).deliveries })))
  }, [])
  const forbidden = loaded.status === 'error' && loaded.error instanceof ApiError && loaded.error.status === 403
  return (
    <Layout title="Webhooks" current="Webhooks">
      {forbidden ? (
        <p role="alert">
          Webhooks hold delivery URLs; the broker shows them to an admin token only. Forget the token and enter an admin one.
        </p>
      ) : (
        <Show loaded={loaded}>
          {(hooks) =>
            hooks.length === 0 ? (
              <p>No webhooks.</p>
            ) : (
              hooks.map(({ webhook, deliveries }) => (
                <section class="card" key={webhook.id} aria-labelledby={`wh-${webhook.id}`}>
                  <h2 id={`wh-${webhook.id}`}>{webhook.description ?? webhook.url}</h2>
                  <p>
                    <code>{webhook.url}</code> on {webhook.events.join(', ')}
                  </p>
                  <table class="grid" data-testid="deliveries">
                    <caption>Deliveries, newest first</caption>
                    <thead>
                      <tr>
                        <th scope="col">Event</th>
                        <th scope="col">Status</th>
                        <th scope="col">Created</th>
                        <th scope="col">Attempts</th>
                      </tr>
                    </thead>
                    <tbody>
                      {deliveries.map((d) => (
                        <tr key={d.id}>
                          <td>{d.event}</td>
                          <td>{d.status}</td>
                          <td>{shortDate(d.createdAt)}</td>
                          <td>
                            <ol>
                              {d.history.map((a) => (
                                <li key={a.attempt}>
                                  {shortDate(a.at)}: {a.statusCode === null ? (a.error ?? 'no answer') : `HTTP ${a.statusCode}`} in{' '}
                                  {a.durationMs} ms
                                </li>
                              ))}
                            </ol>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
              ))
            )
          }
        </Show>
      )}
    </Layout>
  )
}
