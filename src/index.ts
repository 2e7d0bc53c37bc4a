// The public API. Layers, bottom first (each imports only the ones below it; test/architecture/layers.test.ts):
// core (option reading, problems, rendered files, versions) → python → database → usercode → docker →
// compose → ci → k8s → service → workspace. See ARCHITECTURE.md.

// The project types and the options written in .projenrc.ts, at the top: where `projen new` and users find them.
export * from './service';
export * from './workspace';
// The values of the database's options, which .projenrc.ts imports with the project type.
export { DatabaseDriver, PoolStrategy } from './database/enums';

// A submodule per component, as projen's own (`github`, `javascript`): `docker.DockerInstruction`, ...
export * as python from './python';
export * as database from './database';
export * as usercode from './usercode';
export * as docker from './docker';
export * as compose from './compose';
export * as ci from './ci';
export * as k8s from './k8s';
