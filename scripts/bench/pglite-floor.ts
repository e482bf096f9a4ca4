/**
 * The floor under the embedded default's latency: what one statement costs on PGlite by itself
 * (fresh database in a temporary directory, nothing else running). Usage: npx tsx scripts/bench/pglite-floor.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const dir = mkdtempSync(join(tmpdir(), 'pglite-floor-'));
const db = new PGlite(join(dir, 'pglite'));
await db.exec('create table t (id uuid primary key, title text not null, n integer not null)');
const insert = (id: string) => db.query('insert into t (id, title, n) values ($1, $2, $3)', [id, 'x', 1]);

const ids = Array.from({ length: 1000 }, () => crypto.randomUUID());
for (const id of ids) await insert(id);

/** Mean wall time of `fn` in µs, after a warm-up. */
async function measure(name: string, runs: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 50; i++) await fn(i);
  const start = performance.now();
  for (let i = 0; i < runs; i++) await fn(i);
  const micros = ((performance.now() - start) / runs) * 1000;
  console.log(`${name.padEnd(44)} ${micros.toFixed(0).padStart(6)} µs`);
}

try {
  await measure('select 1 (simple protocol, exec)', 2000, () => db.exec('select 1'));
  await measure('select $1 (extended protocol, query)', 2000, () => db.query('select $1::int', [1]));
  await measure('select by primary key', 2000, (i) =>
    db.query('select * from t where id = $1', [ids[i % 1000]]),
  );
  await measure('update by primary key (autocommit)', 2000, (i) =>
    db.query('update t set n = n + 1 where id = $1', [ids[i % 1000]]),
  );
  await measure('insert one row (autocommit)', 2000, () => insert(crypto.randomUUID()));
  await measure('begin; insert; commit', 1000, async () => {
    await db.query('begin');
    await insert(crypto.randomUUID());
    await db.query('commit');
  });
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
