/** Pairs dashboard: one row per consumer → provider pair, a page at a time, searchable (server) and sortable (page). */
import { useState } from 'preact/hooks'
import { api, type PairRow } from '../api.js'
import { Layout, Show, StateBadge } from '../components.js'
import { timeAgo } from '../format.js'
import { href, navigate, type Route } from '../router.js'
import { STATE_ORDER } from '../states.js'
import { useApi } from '../use-api.js'

const PAGE = 100

type SortKey = 'consumer' | 'provider' | 'state' | 'publishedAt'

const SORTERS: Record<SortKey, (a: PairRow, b: PairRow) => number> = {
  consumer: (a, b) => a.consumer.localeCompare(b.consumer) || a.provider.localeCompare(b.provider),
  provider: (a, b) => a.provider.localeCompare(b.provider) || a.consumer.localeCompare(b.consumer),
  state: (a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state),
  publishedAt: (a, b) => b.publishedAt.localeCompare(a.publishedAt),
}

export function Pairs(props: { route: Route }) {
  const q = props.route.query.get('q') ?? ''
  const offset = Number(props.route.query.get('offset') ?? 0) || 0
  const [sort, setSort] = useState<SortKey>('consumer')
  const loaded = useApi(() => api.pairs({ q, limit: PAGE, offset }), [q, offset])
  const go = (query: Record<string, string | undefined>) => navigate(href('pairs', query))
  return (
    <Layout title="Pairs" current="Pairs">
      <form
        class="filters"
        aria-label="Search pairs"
        onSubmit={(e) => {
          e.preventDefault()
          go({ q: String(new FormData(e.currentTarget).get('q') ?? '') })
        }}
      >
        <label for="pairs-q">Consumer or provider</label>
        <input id="pairs-q" name="q" type="search" value={q} />
        <button type="submit">Search</button>
      </form>
      <Show loaded={loaded}>
        {(d) => (
          <>
            <p role="status">{d.total === 0 ? 'No pairs.' : `Pairs ${offset + 1}–${offset + d.pairs.length} of ${d.total}.`}</p>
            <table class="grid" data-testid="pairs">
              <caption class="sr-only">Consumer → provider pairs</caption>
              <thead>
                <tr>
                  <SortHeader label="Consumer" k="consumer" sort={sort} setSort={setSort} />
                  <SortHeader label="Provider" k="provider" sort={sort} setSort={setSort} />
                  <th scope="col">Channels</th>
                  <th scope="col">Contract version</th>
                  <th scope="col">Branch</th>
                  <SortHeader label="State" k="state" sort={sort} setSort={setSort} />
                  <SortHeader label="Published" k="publishedAt" sort={sort} setSort={setSort} />
                  <th scope="col">Pending</th>
                </tr>
              </thead>
              <tbody>
                {[...d.pairs].sort(SORTERS[sort]).map((p) => (
                  <tr key={`${p.consumer}/${p.provider}`} data-pair={`${p.consumer}->${p.provider}`}>
                    <td>
                      <a href={href('services', p.consumer)}>{p.consumer}</a>
                    </td>
                    <td>
                      <a href={href('services', p.provider)}>{p.provider}</a>
                    </td>
                    <td>{p.channels.join(', ')}</td>
                    <td>
                      <a href={href('contracts', p.consumer, p.provider, { version: p.consumerVersion })}>{p.consumerVersion}</a>
                    </td>
                    <td>{p.branches.join(', ')}</td>
                    <td>
                      <StateBadge state={p.state} mode={p.mode} />
                    </td>
                    <td>{timeAgo(p.publishedAt)}</td>
                    <td>{p.pending ? 'pending' : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <nav aria-label="Pages" class="pager">
              {offset > 0 ? <a href={href('pairs', { q, offset: String(Math.max(0, offset - PAGE)) })}>Previous</a> : null}
              {offset + d.pairs.length < d.total ? <a href={href('pairs', { q, offset: String(offset + PAGE) })}>Next</a> : null}
            </nav>
          </>
        )}
      </Show>
    </Layout>
  )
}

function SortHeader(props: { label: string; k: SortKey; sort: SortKey; setSort: (k: SortKey) => void }) {
  const active = props.sort === props.k
  return (
    <th scope="col" aria-sort={active ? (props.k === 'publishedAt' ? 'descending' : 'ascending') : 'none'}>
      <button type="button" class="link" onClick={() => props.setSort(props.k)}>
        {props.label}
      </button>
    </th>
  )
}
