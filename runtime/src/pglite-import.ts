import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import pg from 'pg';

/** Where releases before the private PostgreSQL server kept the embedded database. */
const pgliteDirectory = (dataDir: string) => join(dataDir, 'pglite');
/** The import is restored here first and renamed to the app's database only once complete. */
const STAGING_DATABASE = 'todo_pglite_import';

/**
 * Moves the data of an earlier release (PGlite under `<dataDir>/pglite`) into the app's database on
 * the private server, once: pg_dump (PGlite's own, as WebAssembly) → restore in one transaction
 * into a staging database → the PGlite directory is renamed to `pglite-backup-<time>` → the staging
 * database becomes the app's. A crash at any step leaves a state the next start completes or
 * repeats; the PGlite files are never written to, and the app serves nothing until it is done.
 */
export async function importPgliteData(
  dataDir: string,
  adminUrl: string,
  appDatabase: string,
  log: (message: string) => void,
): Promise<void> {
  const source = pgliteDirectory(dataDir);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = async (name: string) =>
      Boolean((await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount);
    const stagingName = admin.escapeIdentifier(STAGING_DATABASE);
    if (!existsSync(join(source, 'PG_VERSION'))) {
      // Interrupted between the directory's rename and the database's: finish it.
      if ((await exists(STAGING_DATABASE)) && !(await exists(appDatabase))) {
        await admin.query(`alter database ${stagingName} rename to ${admin.escapeIdentifier(appDatabase)}`);
      }
      return;
    }
    if (await exists(appDatabase)) {
      throw new Error(
        `${dataDir} holds both an earlier release's PGlite database (${source}) and a PostgreSQL one: ` +
          'move the PGlite directory away to keep the PostgreSQL data, or remove data/postgres to import it again',
      );
    }
    const started = Date.now();
    log(`importing the PGlite database in ${source} into PostgreSQL (once)`);
    const dump = await dumpPglite(source);
    await admin.query(`drop database if exists ${stagingName}`);
    await admin.query(`create database ${stagingName}`);
    const target = new pg.Client({ connectionString: adminUrl.replace(/\/[^/]*$/, `/${STAGING_DATABASE}`) });
    await target.connect();
    try {
      await target.query(`begin;\n${dump}\ncommit;`);
      const { rows } = await target.query<{ users: string; tasks: string }>(
        'select (select count(*) from public.users) as users, (select count(*) from public.tasks) as tasks',
      );
      log(`restored ${rows[0]?.users} users and ${rows[0]?.tasks} tasks from PGlite`);
    } finally {
      await target.end();
    }
    const backup = join(dataDir, `pglite-backup-${new Date().toISOString().replaceAll(':', '-')}`);
    renameSync(source, backup);
    await admin.query(`alter database ${stagingName} rename to ${admin.escapeIdentifier(appDatabase)}`);
    log(`PGlite import done in ${Date.now() - started} ms; the old directory is kept as ${backup}`);
  } finally {
    await admin.end();
  }
}

/**
 * A plain SQL dump, run as one multi-statement query (there is no psql here): rows as multi-row
 * INSERTs instead of COPY, no owners or grants (the PGlite database's roles do not exist on the new
 * server). PGlite's pg_dump (17.5) writes no psql meta-commands; should a later one, the restore
 * fails on them and nothing is changed.
 */
async function dumpPglite(directory: string): Promise<string> {
  const source = new PGlite(directory);
  try {
    const file = await pgDump({
      pg: source,
      args: ['--no-owner', '--no-privileges', '--rows-per-insert=1000'],
    });
    return await file.text();
  } finally {
    await source.close();
  }
}
