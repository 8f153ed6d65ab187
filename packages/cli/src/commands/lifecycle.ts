/**
 * record-undeployment, record-release, record-support-ended: the rest of the deploy lifecycle, as in Pact.
 * Releases are for artefacts several versions of which are live at once (mobile apps, libraries); can-i-deploy
 * and the matrix count every live release.
 */
import type { TreatyCommand } from '../command.js'
import type { LifecycleOptions } from '../lib/deployments.js'
import { dryRunOption, type ServiceArgs, serviceOptions, versionFromEnv } from '../options.js'

interface Args extends ServiceArgs {
  environment?: string
  dryRun?: boolean
}

type Action = 'recordUndeployment' | 'recordRelease' | 'recordSupportEnded'

function lifecycleCommand(
  command: string,
  describe: string,
  action: Action,
  withVersion: boolean,
  done: (r: { service: string; version: string; environment: string; changed: boolean }) => string,
  example: [string, string],
): TreatyCommand<Args> {
  return {
    command,
    describe,
    options: {
      service: serviceOptions.service,
      ...(withVersion ? { 'app-version': serviceOptions['app-version'] } : {}),
      environment: { type: 'string', describe: 'The environment, e.g. production or app-store' },
      ...dryRunOption,
    },
    examples: [[...example]],
    run: async (args, p) => {
      const { resolveConfig } = await import('../config.js')
      const lib = await import('../lib/deployments.js')
      const { dryRunClient, printOutcome } = await import('../lib/dry-run.js')
      const config = await resolveConfig(args)
      const client = args.dryRun ? dryRunClient(config) : undefined
      const options: LifecycleOptions = {
        service: config.service,
        ...(withVersion ? { appVersion: versionFromEnv(args).appVersion } : {}),
        environment: args.environment,
        brokerUrl: config.brokerUrl,
        token: config.token,
        client,
      }
      const response = await lib[action](options)
      return printOutcome(p, client, args.json, response, () => done(response))
    },
  }
}

export const recordUndeploymentCommand = lifecycleCommand(
  'record-undeployment',
  'Record that a service is no longer deployed to an environment (it stops counting for can-i-deploy)',
  'recordUndeployment',
  false,
  (r) => `recorded ${r.service} ${r.version} as undeployed from ${r.environment}`,
  ['$0 record-undeployment --service pdf-api --environment staging', 'after tearing the environment down'],
)

export const recordReleaseCommand = lifecycleCommand(
  'record-release',
  'Record a released version (mobile app, library): live in the environment alongside earlier releases',
  'recordRelease',
  true,
  (r) => `recorded ${r.service} ${r.version} as released to ${r.environment}${r.changed ? '' : ' (already was)'}`,
  ['$0 record-release --service ios-app --app-version 4.2.0 --environment app-store', 'once the store published it'],
)

export const recordSupportEndedCommand = lifecycleCommand(
  'record-support-ended',
  'Record that support for a released version ended: it no longer counts as live',
  'recordSupportEnded',
  true,
  (r) => `recorded the end of support for ${r.service} ${r.version} in ${r.environment}`,
  ['$0 record-support-ended --service ios-app --app-version 3.9.0 --environment app-store', 'when users can no longer run it'],
)
