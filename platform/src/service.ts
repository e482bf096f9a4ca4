import type { HttpServer } from './http/server.js';
import type { Subscription } from './ports.js';

/**
 * What a service contributes to a process: its event subscriptions, its HTTP routes, and work to
 * start and stop with the process. The embedded root puts every module in one process; the
 * distributed root runs one module per process behind its Dapr sidecar.
 */
export interface ServiceModule {
  /** The Dapr app id. */
  name: string;
  subscriptions?: Subscription[];
  register?(app: HttpServer): Promise<void>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
