// Configuration for MikroORM tooling (migrations, seeding). The server builds the same config in
// server/src/db/orm.ts; DATABASE_URL points it at a database (scripts/migrations.ts provides one).
import { ormConfig } from './server/src/db/orm.ts';

export default ormConfig(process.env.DATABASE_URL ?? 'postgres://innboard:innboard@127.0.0.1:54329/innboard');
