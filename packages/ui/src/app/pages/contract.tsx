/**
 * Contract page for messages: per expectation its channel, message name, provider states, headers and
 * payload as schema trees, the example, the variants the handler was tried on; the latest verification with
 * each mismatch; and the evolution from the previous version in the compatibility engine's words.
 */
import { api, type ContractPage, type PairRow } from '../api.js'
import { Layout, Show, StateBadge } from '../components.js'
import { shortDate } from '../format.js'
import { href, type Route } from '../router.js'
import { SchemaTree } from '../schema-tree.js'
import { useApi } from '../use-api.js'

export function Contract(props: { route: Route; consumer: string; provider: string }) {
  const version = props.route.query.get('version') ?? undefined
  const { consumer, provider } = props
  const loaded = useApi(async () => {
    const [view, pairs] = await Promise.all([api.contract(consumer, provider, version), api.pairs({ consumer, provider, limit: 1 })])
    return { view, pair: pairs.pairs[0] }
  }, [consumer, provider, version])
  return (
    <Layout title={`${consumer} → ${provider}`} current="Pairs">
      <Show loaded={loaded}>{(d) => <ContractBody view={d.view} pair={d.pair} />}</Show>
    </Layout>
  )
}

function ContractBody({ view, pair }: { view: ContractPage; pair: PairRow | undefined }) {
  const latest = pair && pair.contentHash === view.contentHash ? pair : undefined
  return (
    <>
      <dl class="facts">
        <dt>Consumer</dt>
        <dd>
          <a href={href('services', view.consumer)}>{view.consumer}</a> {view.consumerVersion}
          {view.branches.length > 0 ? ` (branch ${view.branches.join(', ')})` : ''}
        </dd>
        <dt>Provider</dt>
        <dd>
          <a href={href('services', view.provider)}>{view.provider}</a>
        </dd>
        <dt>Published</dt>
        <dd>{shortDate(view.publishedAt)}</dd>
        <dt>Content</dt>
        <dd>
          <code>{view.contentHash.slice(0, 16)}</code>
        </dd>
        {latest ? (
          <>
            <dt>State</dt>
            <dd>
              <StateBadge state={latest.state} mode={latest.mode} /> {latest.pending ? '(pending: does not fail the provider’s build)' : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <Verification view={view} pair={latest} />
      <Evolution view={view} />
      <h2>Expectations ({view.contract.expectations.length})</h2>
      {view.contract.expectations.map((e, i) => {
        const variants = view.variants[i]?.messages ?? []
        return (
          <section class="card" key={e.description} aria-labelledby={`exp-${i}`}>
            <h3 id={`exp-${i}`}>{e.description}</h3>
            <dl class="facts">
              <dt>Channel</dt>
              <dd>
                <code>{e.channel}</code>
              </dd>
              {e.messageName ? (
                <>
                  <dt>Message</dt>
                  <dd>{e.messageName}</dd>
                </>
              ) : null}
              <dt>Provider states</dt>
              <dd>
                {e.providerStates.length === 0
                  ? 'none'
                  : e.providerStates.map((s) => (
                      <div key={s.name}>
                        {s.name}
                        {s.params ? (
                          <>
                            {' '}
                            with <code>{JSON.stringify(s.params)}</code>
                          </>
                        ) : null}
                      </div>
                    ))}
              </dd>
            </dl>
            <div class="two">
              <div>
                <h4>Payload</h4>
                <SchemaTree schema={e.payload.schema} label={`Payload schema of ${e.description}`} />
                <h4>Example payload</h4>
                <pre>{JSON.stringify(e.payload.example, null, 2)}</pre>
              </div>
              <div>
                <h4>Headers</h4>
                {e.headers ? (
                  <>
                    <SchemaTree schema={e.headers.schema} label={`Headers schema of ${e.description}`} />
                    <h4>Example headers</h4>
                    <pre>{JSON.stringify(e.headers.example, null, 2)}</pre>
                  </>
                ) : (
                  <p>The consumer relies on no header.</p>
                )}
              </div>
            </div>
            <details>
              <summary>Variants the handler was proven against ({variants.length})</summary>
              <ul class="variants">
                {variants.map((v) => (
                  <li key={v.name}>
                    {v.name}
                    <pre>{JSON.stringify(v.payload)}</pre>
                  </li>
                ))}
              </ul>
            </details>
          </section>
        )
      })}
    </>
  )
}

function Verification({ view, pair }: { view: ContractPage; pair: PairRow | undefined }) {
  const v = view.verification
  const staticDiffs = pair?.mode === 'static' ? pair.staticDifferences : []
  return (
    <section aria-labelledby="verification-title">
      <h2 id="verification-title">Verification</h2>
      {v ? (
        <>
          <p>
            Replayed by {view.provider} {v.providerVersion} on {shortDate(v.verifiedAt)}: {v.success ? 'passed' : 'failed'}.
          </p>
          <ul class="results" data-testid="verification-results">
            {v.expectations.map((e) => (
              <li key={e.description} class={e.success ? 'ok' : 'bad'}>
                {e.success ? 'passed' : 'failed'}: {e.description}
                {e.mismatches && e.mismatches.length > 0 ? (
                  <ul>
                    {e.mismatches.map((m) => (
                      <li key={m} class="mismatch">
                        {m}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>No provider version has replayed this contract.</p>
      )}
      {pair?.mode === 'static' ? (
        <>
          <p>Decided statically from the provider schema of {view.provider}'s latest version.</p>
          <ul class="results" data-testid="static-differences">
            {staticDiffs.map((d) => (
              <li key={`${d.expectation}${d.part}${d.pointer}${d.kind}`} class="bad mismatch">
                {d.expectation}:{' '}
                <code>
                  {d.part}
                  {d.pointer}
                </code>{' '}
                {d.kind}: {d.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}

function Evolution({ view }: { view: ContractPage }) {
  return (
    <section aria-labelledby="evolution-title">
      <h2 id="evolution-title">Changes since the previous version</h2>
      {view.previousVersion === null ? (
        <p>
          This is the first contract {view.consumer} published with {view.provider}.
        </p>
      ) : (
        <>
          <p>
            Against {view.consumer} {view.previousVersion} (
            <a href={href('contracts', view.consumer, view.provider, { version: view.previousVersion })}>open it</a>), as the compatibility
            engine sees it: <em>backward</em> = messages the old expectation accepted that the new one rejects, <em>forward</em> = the
            reverse.
          </p>
          <ul class="results" data-testid="evolution">
            {view.evolution.map((e) => (
              <li key={e.description}>
                <strong>{e.change}</strong>: {e.description} (<code>{e.channel}</code>)
                {e.checks.length > 0 ? (
                  <ul>
                    {e.checks.flatMap((c) =>
                      c.differences.map((d) => (
                        <li key={`${c.part}${c.direction}${d.pointer}${d.kind}`}>
                          {c.direction} · {c.part}
                          <code>{d.pointer}</code> {d.kind}: {d.message}
                        </li>
                      )),
                    )}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
