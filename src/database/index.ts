// NeonDatabase: the engine on the pooled URL, Alembic over the direct one, .env.example, the local stack's facts.
export * from './options';
export * from './neon-database';
