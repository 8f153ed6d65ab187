// The public face of @treaty/observe. Anything not exported here is internal and free to move.

export { AmqpTransport, type AmqpTransportOptions, amqpTransport } from './amqp.js'
export { type DeployedState, loadDeployedContracts } from './broker-source.js'
export { type ChannelMatcher, channelMatcher, coveringPatterns } from './channels.js'
export { isObserveError, ObserveError, type ObserveErrorCode, ObserveErrorCodes } from './errors.js'
export {
  type AmqpPublisher,
  Guard,
  type GuardMode,
  type GuardOptions,
  type GuardViolation,
  guardAmqp,
  guardNats,
  type NatsPublisher,
} from './guard.js'
export { MASK, maskHeaders } from './mask.js'
export { metricsText, serveMetrics } from './metrics.js'
export { NatsTransport, type NatsTransportOptions, natsTransport } from './nats.js'
export { decodeJson, Observer, type ObserverOptions } from './observer.js'
export { ObservationPublisher, toObservations } from './publish.js'
export { type ObserveBrokerOptions, type ObserveOptions, observe } from './run.js'
export type {
  ChannelCount,
  MismatchFinding,
  ObservationReport,
  ObservedContract,
  Subscription,
  Transport,
  TransportEvent,
  Verdict,
  WireMessage,
} from './types.js'
