import type { TopicName } from '@todo/contracts';
import type { HttpServer } from './http/server.js';
import type { Subscription } from './ports.js';

/**
 * What a service contributes to a process: its event subscriptions, the topics it writes through
 * the outbox, its HTTP routes, and work to start and stop with the process. The embedded root puts
 * every module in one process; the distributed root runs one module per process behind its Dapr
 * sidecar, and reads these declarations instead of knowing the services by name.
 */
export interface ServiceModule {
  /** The Dapr app id. */
  name: string;
  subscriptions?: Subscription[];
  /**
   * Topics this service's writes put into the outbox (dead letters aside): a process running it
   * runs the outbox relay.
   */
  produces?: readonly TopicName[];
  /**
   * Every process of this service must see every event of its subscriptions (to reach the
   * clients connected to it), rather than replicas sharing them.
   */
  broadcast?: boolean;
  register?(app: HttpServer): Promise<void>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
