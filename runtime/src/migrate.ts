/**
 * `npm run migrate -- up|down|status`: the database migrations as a command, for the Helm
 * pre-upgrade Job and for rollbacks. Uses DATABASE_URL, or the embedded default's private server
 * under DATA_DIR (started for the command; the app must not be running on that directory).
 */
import { loadConfig } from '@todo/platform/config';
import { migrateDown, migrateToLatest, openDatabase } from '@todo/platform/db/connect';
import { migrationProvider } from '@todo/platform/db/migrations/index';
import { createLogger } from '@todo/platform/telemetry/logger';
import { sql } from 'kysely';
import { appDatabase } from './private-postgres.js';

const command = process.argv[2] ?? 'up';
// The Helm pre-upgrade Job gives the migration its database and nothing else.
const config = loadConfig(process.env, ['DATABASE_URL']);
const database = await appDatabase(config, createLogger(config.LOG_LEVEL).child({ component: 'postgres' }));
const db = openDatabase({ url: database.url });
try {
  if (command === 'up') {
    const applied = await migrateToLatest(db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } else if (command === 'down') {
    const reverted = await migrateDown(db);
    console.log(reverted ? `reverted: ${reverted}` : 'nothing to revert');
  } else if (command === 'status') {
    const known = Object.keys(await migrationProvider.getMigrations());
    const applied = await sql<{ name: string }>`select name from schema_migrations order by name`
      .execute(db)
      .then((result) => new Set(result.rows.map((row) => row.name)))
      .catch(() => new Set<string>());
    for (const name of known) console.log(`${applied.has(name) ? 'applied' : 'pending'}  ${name}`);
  } else {
    console.error('usage: migrate up|down|status');
    process.exitCode = 2;
  }
} finally {
  await db.destroy();
  await database.stop();
}
