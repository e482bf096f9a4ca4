import { SECRET_STORE_NAME } from '@todo/contracts/dapr';
import type { SecretStore } from '../ports.js';
import type { DaprClient } from './client.js';

/**
 * Secrets through the sidecar. Names are `secret/key` (the store is multi-valued, like a
 * Kubernetes Secret): `app-secrets/jwtSecret`.
 */
export class DaprSecretStore implements SecretStore {
  constructor(private readonly dapr: DaprClient) {}

  async get(name: string): Promise<string | undefined> {
    const [secret = name, key = name] = name.split('/', 2);
    const response = await this.dapr.fetch(
      `/v1.0/secrets/${SECRET_STORE_NAME}/${encodeURIComponent(secret)}`,
    );
    // A secret outside the Configuration's allowed list (403) or a failing store (500) is an error,
    // not an absent value: the caller would otherwise fall back silently.
    if (response.status === 204 || response.status === 404) return undefined;
    if (!response.ok) throw new Error(`dapr secret ${secret}: ${response.status} ${await response.text()}`);
    const values = (await response.json()) as Record<string, string>;
    return values[key];
  }
}
