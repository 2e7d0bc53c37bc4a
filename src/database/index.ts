// NeonDatabase: the engine on the pooled URL, Alembic over the direct one, .env.example, the local stack's facts
// (its options' values, PoolStrategy and DatabaseDriver, are at the top of the package).
export * from './options';
export * from './neon-database';
