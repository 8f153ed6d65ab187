/** The web UI's entry: picks the page for the hash route and mounts it. */
import { render } from 'preact'
import { Layout } from './components.js'
import { CanIDeploy } from './pages/can-i-deploy.js'
import { Contract } from './pages/contract.js'
import { Environments } from './pages/environments.js'
import { Overview } from './pages/overview.js'
import { Pairs } from './pages/pairs.js'
import { Service } from './pages/service.js'
import { Webhooks } from './pages/webhooks.js'
import { href, type Route, useRoute } from './router.js'

function page(route: Route) {
  const [first, a, b] = route.segments
  switch (first) {
    case undefined:
      return <Overview route={route} />
    case 'pairs':
      return <Pairs route={route} />
    case 'contracts':
      if (a && b) return <Contract route={route} consumer={a} provider={b} />
      break
    case 'services':
      if (a) return <Service route={route} name={a} />
      break
    case 'can-i-deploy':
      return <CanIDeploy route={route} />
    case 'environments':
      return <Environments />
    case 'webhooks':
      return <Webhooks />
  }
  return (
    <Layout title="Not found" current="">
      <p>
        There is no page here. <a href={href()}>Go to the overview</a>.
      </p>
    </Layout>
  )
}

function App() {
  const route = useRoute()
  return page(route)
}

render(<App />, document.getElementById('app')!)
