import { inject } from 'vitest';

const { controlUrl } = inject('stack');

export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

async function call<T>(method: string, path: string): Promise<T> {
  const response = await fetch(`${controlUrl}${path}`, { method });
  const body = await response.json();
  if (!response.ok) throw new Error(`stack control ${method} ${path}: ${JSON.stringify(body)}`);
  return body as T;
}

/** Every message the stack's SMTP server accepted so far. */
export const receivedMail = () => call<Mail[]>('GET', '/mail');

/** SIGKILL one service process (its sidecar stays up). */
export const killInstance = (instance: string) => call<object>('POST', `/instances/${instance}/kill`);

/** Starts a killed service process again; the seconds until its /readyz answered. */
export const restartInstance = async (instance: string) =>
  (await call<{ seconds: number }>('POST', `/instances/${instance}/restart`)).seconds;
