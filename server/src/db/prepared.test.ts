// executePrepared against the real test Postgres, on an ORM with ONE pooled connection so the session's
// pg_prepared_statements shows what was prepared on it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { openOrm, type MikroORM } from './orm.ts';
import { createTestDatabase } from '../testing/databases.ts';
import { executePrepared, MAX_NAMED } from './prepared.ts';

describe('executePrepared', () => {
  let orm: MikroORM;
  const prepared = async () =>
    (await orm.em.fork().execute<{ name: string; statement: string }[]>("select name, statement from pg_prepared_statements where name like 'ib\\_%' order by name"));

  beforeAll(async () => {
    orm = await openOrm(await createTestDatabase(inject('pgAdminUrl')), { pool: { min: 1, max: 1 } });
    await orm.em.fork().execute('create table prepared_probe (id int primary key, label text)');
  });
  afterAll(async () => {
    await orm?.close();
  });

  it('numbers the placeholders, converts the parameters as the ORM does, and prepares a text once', async () => {
    const sql = 'select ?::int + 1 as next, ?::timestamptz as at, ?::varchar[] as list';
    const at = new Date('2026-12-06T10:00:00.000Z');
    for (let i = 0; i < 3; i++) {
      // Arrays travel as literals, as the hot statements send them (the ORM would spread a JS array into a list).
      const params = [i, at, '{a,"b c"}'];
      const rows = await executePrepared(orm.em.fork(), sql, params);
      // Rows exactly as em.execute gives them (the pool's own type parsers).
      expect(rows).toEqual(await orm.em.fork().execute(sql, params));
      expect(rows).toMatchObject([{ next: i + 1, list: ['a', 'b c'] }]);
    }
    const mine = (await prepared()).filter((s) => s.statement.startsWith('select $1::int + 1'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.statement).toBe('select $1::int + 1 as next, $2::timestamptz as at, $3::varchar[] as list');
  });

  it('tells texts of the same length apart', async () => {
    const texts = ['select ?::int as left_', 'select ?::int as right'];
    expect(texts[0]!.length).toBe(texts[1]!.length);
    for (let i = 0; i < 2; i++) {
      expect(await executePrepared(orm.em.fork(), texts[0]!, [i])).toEqual([{ left_: i }]);
      expect(await executePrepared(orm.em.fork(), texts[1]!, [i])).toEqual([{ right: i }]);
    }
    const mine = (await prepared()).filter((s) => s.statement.startsWith('select $1::int as '));
    expect(mine.map((s) => s.statement).sort()).toEqual(['select $1::int as left_', 'select $1::int as right']);
  });

  it('fails with the ORM\'s own exceptions, so db-errors.ts maps them as before', async () => {
    const insert = 'insert into prepared_probe (id, label) values (?, ?)';
    await executePrepared(orm.em.fork(), insert, [1, 'first']);
    await expect(executePrepared(orm.em.fork(), insert, [1, 'again'])).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    expect(await orm.em.fork().execute('select label from prepared_probe')).toEqual([{ label: 'first' }]);
  });

  it('runs inside the caller\'s transaction when there is one', async () => {
    await orm.em.fork().transactional(async (em) => {
      await em.execute('insert into prepared_probe (id, label) values (2, ?)', ['uncommitted']);
      expect(await executePrepared(em, 'select label from prepared_probe where id = ?', [2])).toEqual([{ label: 'uncommitted' }]);
      throw Object.assign(new Error('roll back'), { rollback: true });
    }).catch((e: { rollback?: boolean }) => { if (!e.rollback) throw e; });
    expect(await executePrepared(orm.em.fork(), 'select label from prepared_probe where id = ?', [2])).toEqual([]);
  });

  it('prepares again on the new pool of a reconnected ORM', async () => {
    const sql = 'select ?::text as echo';
    expect(await executePrepared(orm.em.fork(), sql, ['before'])).toEqual([{ echo: 'before' }]);
    await orm.close();
    await orm.connect();
    expect(await executePrepared(orm.em.fork(), sql, ['after'])).toEqual([{ echo: 'after' }]);
    expect((await prepared()).map((s) => s.statement)).toContain('select $1::text as echo');
  });

  it('names at most MAX_NAMED texts and still runs the ones past the cap', async () => {
    // A second ORM on the same database: its own pool and its own count of names.
    const fresh = await openOrm(orm.config.get('clientUrl')!, { pool: { min: 1, max: 1 } });
    try {
      for (let i = 0; i < MAX_NAMED + 5; i++) {
        expect(await executePrepared(fresh.em.fork(), `select ?::int as n, ${i} as variant`, [i])).toEqual([{ n: i, variant: i }]);
      }
      const names = await fresh.em.fork().execute<{ n: number }[]>("select count(*)::int as n from pg_prepared_statements where name like 'ib\\_%'");
      expect(names).toEqual([{ n: MAX_NAMED }]);
    } finally {
      await fresh.close();
    }
  });
});
