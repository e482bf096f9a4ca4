import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TopicName } from '@todo/contracts';
import { inject } from 'vitest';

const run = promisify(execFile);

/**
 * Every message put on a topic since this test run started, as kcat (librdkafka, not the project's
 * code) sees it. Earlier ones are not this run's: the broker's data outlives runs, and
 * `npm run chaos` deliberately leaves malformed messages on the topics.
 */
export async function consumeAll(topic: TopicName): Promise<{ key: string; value: unknown }[]> {
  const { kafkaBrokers, startedAt } = inject('stack');
  const { stdout } = await run(
    'kcat',
    ['-b', kafkaBrokers, '-C', '-t', topic, '-o', `s@${startedAt}`, '-e', '-q', '-f', '%k\t%s\n'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const tab = line.indexOf('\t');
      return { key: line.slice(0, tab), value: JSON.parse(line.slice(tab + 1)) };
    });
}
