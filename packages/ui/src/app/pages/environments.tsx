/** Environments board: what is deployed where, and since when. */
import { api } from '../api.js'
import { Layout, Show } from '../components.js'
import { shortDate, timeAgo } from '../format.js'
import { href } from '../router.js'
import { useApi } from '../use-api.js'

export function Environments() {
  const loaded = useApi(async () => {
    const { environments } = await api.environments()
    const boards = await Promise.all(
      environments.map(async (e) => ({ environment: e, deployments: (await api.deployments(e.name)).deployments })),
    )
    return boards
  }, [])
  return (
    <Layout title="Environments" current="Environments">
      <Show loaded={loaded}>
        {(boards) =>
          boards.length === 0 ? (
            <p>No environments yet; an admin creates them (treaty environment create).</p>
          ) : (
            <div class="boards">
              {boards.map(({ environment, deployments }) => (
                <section
                  class="card"
                  key={environment.name}
                  aria-labelledby={`env-${environment.name}`}
                  data-environment={environment.name}
                >
                  <h2 id={`env-${environment.name}`}>
                    {environment.name}
                    {environment.production ? ' (production)' : ''}
                  </h2>
                  {deployments.length === 0 ? (
                    <p>Nothing deployed.</p>
                  ) : (
                    <table class="grid">
                      <thead>
                        <tr>
                          <th scope="col">Service</th>
                          <th scope="col">Version</th>
                          <th scope="col">Since</th>
                        </tr>
                      </thead>
                      <tbody>
                        {deployments.map((d) => (
                          <tr key={d.service}>
                            <td>
                              <a href={href('services', d.service)}>{d.service}</a>
                            </td>
                            <td>{d.version}</td>
                            <td title={shortDate(d.deployedAt)}>{timeAgo(d.deployedAt)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </section>
              ))}
            </div>
          )
        }
      </Show>
    </Layout>
  )
}
