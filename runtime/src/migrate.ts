/**
 * `npm run migrate -- up|down|status`: the database migrations as a command, for the Helm
 * pre-upgrade Job and for rollbacks. Uses DATABASE_URL, or the embedded PGlite under DATA_DIR.
 */
import { loadConfig } from '@todo/platform/config';
import { databaseTarget, migrateDown, migrateToLatest, openDatabase } from '@todo/platform/db/connect';
import { migrationProvider } from '@todo/platform/db/migrations/index';
import { sql } from 'kysely';

const command = process.argv[2] ?? 'up';
const config = loadConfig();
const db = openDatabase(databaseTarget(config));
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
}
