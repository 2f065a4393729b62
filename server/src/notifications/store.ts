import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_ROLE_NOTIFICATIONS, NOTIFICATION_PAGE, ROLES, type NotificationKind, type NotificationRef, type NotificationView, type Permission, type RoleName } from '@innboard/shared';
import { jsonSql, valueSql } from '../pipeline/returned.ts';

/** A notice a unit of work raised; recipients are resolved against memberships and role rules at commit. */
export interface PendingNotification {
  /** These users (if their role receives the kind)... */
  userIds?: string[];
  /** ...and/or every member with one of these roles (if it receives the kind). */
  roles?: RoleName[];
  kind: NotificationKind;
  title: string;
  body: string;
  ref: NotificationRef;
}

export type DeliveredNotification = NotificationView & { userId: string };

/** The kinds each role receives in the property: its rule rows over the shared defaults. */
export async function roleRules(em: EntityManager, propertyId: string): Promise<Record<RoleName, NotificationKind[]>> {
  const rows = await em.execute<{ role_name: RoleName; kinds: NotificationKind[] }[]>('select role_name, kinds from notification_rule where property_id = ?', [propertyId]);
  return { ...DEFAULT_ROLE_NOTIFICATIONS, ...Object.fromEntries(rows.map((r) => [r.role_name, r.kinds])) };
}

interface Row { id: string; user_id: string; seq: number; property_id: string; kind: NotificationKind; title: string; body: string; ref: NotificationRef; created_at: Date; read_at: Date | null }
export const toView = (r: Row): DeliveredNotification => ({
  notificationId: r.id, userId: r.user_id, seq: Number(r.seq), propertyId: r.property_id, kind: r.kind, title: r.title, body: r.body, ref: r.ref,
  at: new Date(r.created_at).toISOString(), read: r.read_at !== null,
});

/**
 * Stores the unit of work's notices inside its transaction. Nobody is told about their own action.
 * Recipients are taken in id order so two transactions never wait on each other's counters in a cycle.
 */
export async function writeNotifications(em: EntityManager, propertyId: string, actorId: string, pending: PendingNotification[], at: Date): Promise<DeliveredNotification[]> {
  if (pending.length === 0) return [];
  const members = await em.execute<{ user_id: string; role_name: RoleName }[]>(
    `select m.user_id, m.role_name from membership m join app_user u on u.id = m.user_id where m.property_id = ? and u.active order by m.user_id`, [propertyId]);
  const rules = await roleRules(em, propertyId);
  const out: DeliveredNotification[] = [];
  const perUser = new Map<string, PendingNotification[]>();
  for (const n of pending) {
    for (const m of members) {
      if (m.user_id === actorId || !(rules[m.role_name] ?? []).includes(n.kind)) continue;
      if (!n.userIds?.includes(m.user_id) && !n.roles?.includes(m.role_name)) continue;
      perUser.set(m.user_id, [...(perUser.get(m.user_id) ?? []), n]);
    }
  }
  for (const [userId, notices] of [...perUser].sort(([a], [b]) => a.localeCompare(b))) {
    const rows = await em.execute<Row[]>(
      `with counter as (
         insert into notification_counter (user_id, seq) values (?, ?) on conflict (user_id) do update set seq = notification_counter.seq + excluded.seq
         returning seq),
       input as (select * from jsonb_to_recordset(?::jsonb) as x(i int, kind text, title text, body text, ref jsonb))
       insert into notification (id, user_id, seq, property_id, kind, title, body, ref, created_at, read_at)
       select gen_random_uuid(), ?, (select seq from counter) - ? + input.i, ?, input.kind, input.title, input.body, input.ref, ?, null from input
       returning *`,
      [userId, notices.length, JSON.stringify(notices.map((n, i) => ({ i: i + 1, kind: n.kind, title: n.title, body: n.body, ref: n.ref }))), userId, notices.length, propertyId, at],
    );
    out.push(...rows.map(toView));
  }
  return out;
}

/**
 * A notice a single-statement command stores itself (pipeline/types.ts `FastWrite.notice`). Any field may be a
 * `returned(column)` of the domain write's row; `when` (a boolean column) decides whether there is a notice at all.
 */
export interface StatementNotice {
  when: boolean;
  /** Recipients: the property's active members whose role holds this permission (and receives the kind). */
  permission: Permission;
  kind: NotificationKind;
  title: string;
  body: string;
  ref: NotificationRef;
}

/**
 * `writeNotifications` for one notice as CTEs of a command's single statement, with the same rules: active
 * members whose role receives the kind (the property's rule row, else the defaults), never the actor, counters
 * taken in user id order. The rows come back from CTE `notices`.
 */
export function noticeCtes(n: StatementNotice, c: { propertyId: string; actorId: string; at: Date }): { sql: string; params: unknown[] } {
  const byDefault = ROLES.filter((r) => DEFAULT_ROLE_NOTIFICATIONS[r].includes(n.kind));
  const when = valueSql(n.when, 'boolean');
  const title = valueSql(n.title, 'text');
  const body = valueSql(n.body, 'text');
  const ref = jsonSql(n.ref);
  return {
    sql: `notice_to as (
       select m.user_id from membership m join app_user u on u.id = m.user_id join role r on r.name = m.role_name
         left join notification_rule nr on nr.property_id = m.property_id and nr.role_name = m.role_name
        where ${when.sql} and m.property_id = ?::uuid and u.active and m.user_id <> ?::uuid and ?::text = any(r.permissions)
          and coalesce(?::text = any(nr.kinds), m.role_name = any(?::text[]))
        order by m.user_id
     ), notice_seq as (
       insert into notification_counter (user_id, seq) select user_id, 1 from notice_to order by user_id
       on conflict (user_id) do update set seq = notification_counter.seq + 1 returning user_id, seq
     ), notices as (
       insert into notification (id, user_id, seq, property_id, kind, title, body, ref, created_at, read_at)
       select gen_random_uuid(), user_id, seq, ?::uuid, ?::varchar, ${title.sql}, ${body.sql}, ${ref.sql}, ?::timestamptz, null from notice_seq
       returning *
     )`,
    params: [
      ...when.params, c.propertyId, c.actorId, n.permission, n.kind, `{${byDefault.join(',')}}`,
      c.propertyId, n.kind, ...title.params, ...body.params, ...ref.params, c.at,
    ],
  };
}

/** A user's catch-up: every notification after `since`, or the newest page when `since` is missing or too old. */
export async function notificationsSince(em: EntityManager, userId: string, since: number | undefined): Promise<{ seq: number; unread: number; notifications: DeliveredNotification[] }> {
  const [head] = await em.execute<{ seq: number; unread: number }[]>(
    `select coalesce((select seq from notification_counter where user_id = ?), 0)::int as seq,
            (select count(*) from notification where user_id = ? and read_at is null)::int as unread`, [userId, userId]);
  const latest = head!.seq;
  const from = since !== undefined && latest - since <= NOTIFICATION_PAGE ? since : Math.max(0, latest - NOTIFICATION_PAGE);
  const rows = await em.execute<Row[]>('select * from notification where user_id = ? and seq > ? order by seq', [userId, from]);
  return { seq: latest, unread: head!.unread, notifications: rows.map(toView) };
}

/** Marks read; only ever the caller's own notifications. Answers how many stay unread. */
export async function markNotificationsRead(em: EntityManager, userId: string, which: { upTo: number } | { notificationIds: string[] }, at: Date): Promise<number> {
  if ('upTo' in which) await em.execute('update notification set read_at = ? where user_id = ? and seq <= ? and read_at is null', [at, userId, which.upTo]);
  else await em.execute('update notification set read_at = ? where user_id = ? and id = any(?::uuid[]) and read_at is null', [at, userId, `{${which.notificationIds.join(',')}}`]);
  const [row] = await em.execute<{ unread: number }[]>('select count(*)::int as unread from notification where user_id = ? and read_at is null', [userId]);
  return row!.unread;
}
