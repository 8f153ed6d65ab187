// The public face of @treaty/observe. Anything not exported here is internal and free to move.
export { type ChannelMatcher, channelMatcher, coveringPatterns } from './channels.js'
export { isObserveError, ObserveError, type ObserveErrorCode, ObserveErrorCodes } from './errors.js'
export { MASK, maskHeaders } from './mask.js'
export { NatsTransport, type NatsTransportOptions, natsTransport } from './nats.js'
export { decodeJson, Observer, type ObserverOptions } from './observer.js'
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
