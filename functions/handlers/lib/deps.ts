// What a handler is built from. The module-level `handler` builds it from the environment;
// tests build it around the local emulator, captured output and a fast clock.
import type { Clock } from '../../reconciler/apply/clock.ts';
import type { AwsClients } from '../../reconciler/aws/clients.ts';
import type { HandlerConfig } from './config.ts';
import type { Observability } from './observability.ts';

export interface HandlerDeps extends Observability {
  config: HandlerConfig;
  clients: AwsClients;
  /** Polling and sleeping while a server changes state (default: real time). */
  clock?: Clock;
}
