export {
  type ConnectionAuth,
  inboxPrefixOf,
  readCredentials,
  type WrittenIdentities,
  writeIdentities,
} from "./auth/credentials.js";
export {
  agentIdsOf,
  type IdentityName,
  type IdentityPlan,
  identityNames,
  type Permissions,
  permissionsFor,
  type ServiceIdentity,
} from "./auth/identity-permissions.js";
export { blobDigest } from "./blob-digest.js";
export { type OpenBusOptions, type OpenedBus, openBus, replicasOf } from "./connect.js";
export { createEventEmitter, type EmitOptions, type EventEmitter } from "./event-emitter.js";
export { MemoryBus, type MemoryBusOptions } from "./memory/memory-bus.js";
export { NatsBus, type NatsBusOptions } from "./nats/nats-bus.js";
export { streamConfigs } from "./nats/provision.js";
export { findNatsServer } from "./nats-binary.js";
export { type NatsLaunchOptions, NatsServerProcess } from "./nats-launcher.js";
export { serviceQueues, taskDurable } from "./queues.js";
export { subjectMatches } from "./subject-match.js";
export type {
  BlobInfo,
  BlobStore,
  Bus,
  EnqueueOptions,
  EnvelopeSchema,
  EventLog,
  FollowOptions,
  Handler,
  KeyValue,
  KvEntry,
  MessageMeta,
  QueueName,
  RejectionListener,
  RequestOptions,
  Subscription,
  WorkConsumer,
  WorkConsumerOptions,
  WorkItem,
} from "./types.js";
