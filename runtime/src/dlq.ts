/**
 * `npm run dlq -- list | show <dlq_id> | replay <dlq_id>`: inspect and replay dead-lettered events.
 * Talks to the api on the same host (DLQ_API_URL, default http://127.0.0.1:$PORT), which works in
 * both modes: the embedded database belongs to the running process, and in a cluster the command
 * runs inside an api pod (`kubectl exec deploy/api-service -- npm run dlq -- list`). The route
 * takes the app API token: APP_API_TOKEN (set in the pod), or the one the embedded default keeps
 * in its data directory (DATA_DIR, default ./data).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAPR_TOKEN_HEADER } from '@todo/platform/http/internal-only';

const [command, id] = process.argv.slice(2);
const base = process.env.DLQ_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

function appToken(): string {
  if (process.env.APP_API_TOKEN) return process.env.APP_API_TOKEN;
  const file = join(process.env.DATA_DIR ?? './data', 'app-api-token');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`no APP_API_TOKEN set and no ${file} to read it from`);
  }
}

async function call(method: string, path: string): Promise<unknown> {
  const response = await fetch(`${base}${path}`, { method, headers: { [DAPR_TOKEN_HEADER]: appToken() } });
  const body = await response.json();
  if (!response.ok) throw new Error(`${response.status}: ${JSON.stringify(body)}`);
  return body;
}

try {
  if (command === 'list') {
    const { items } = (await call('GET', '/internal/dlq?limit=200')) as {
      items: Record<string, string | null>[];
    };
    if (items.length === 0) console.log('the dead-letter queue is empty');
    for (const item of items) {
      const replayed = item.replayed_at ? `replayed ${item.replayed_at}` : 'not replayed';
      console.log(
        `${item.dlq_id}  ${item.created_at}  ${item.topic} → ${item.consumer}  event ${item.original_event_id}  ${replayed}`,
      );
    }
  } else if (command === 'show' && id) {
    console.log(JSON.stringify(await call('GET', `/internal/dlq/${id}`), null, 2));
  } else if (command === 'replay' && id) {
    await call('POST', `/internal/dlq/${id}/replay`);
    console.log(`replayed ${id}: its event is delivered again; consumers that handled it skip it`);
  } else {
    console.error('usage: npm run dlq -- list | show <dlq_id> | replay <dlq_id>');
    process.exitCode = 2;
  }
} catch (error) {
  console.error(
    `dlq: ${error instanceof Error ? error.message : String(error)} (is the app running at ${base}?)`,
  );
  process.exitCode = 1;
}
