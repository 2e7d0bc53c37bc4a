// The public API, by name. Layers: core/ (option reading, problems, secrets, templates, versions) →
// components (python/, database/, docker/, ci/) → the project type (service/).

// The project type
export { UvPythonService } from './service/uv-python-service';
export { UvPythonServiceOptions } from './service/options';
export { ResolvedService } from './service/resolved';
export { NodeToolchain } from './service/toolchain';

// Python
export { AppEntrypoint, ResolvedPython } from './python/model';
export { Pyproject } from './python/pyproject';

// Docker
export { UvDockerOptions } from './docker/options';
export { ResolvedDocker } from './docker/resolved';
export { DockerStages, DockerStagesOptions } from './docker/docker-stages';
export { DockerStage, DockerStageOptions } from './docker/stage';
export { ContextExclusion, DockerIgnore } from './docker/dockerignore';
export {
  ArgInstruction,
  BindMountOptions,
  CacheMountOptions,
  CacheSharing,
  CommentInstruction,
  CopyInstruction,
  CopyOptions,
  DockerInstruction,
  DockerInstructionKind,
  EnvInstruction,
  ExecFormInstruction,
  ExposeInstruction,
  ExposeProtocol,
  HealthcheckInstruction,
  HealthcheckOptions,
  IDockerInstruction,
  LabelInstruction,
  LabelOptions,
  MountType,
  RawInstruction,
  RunInstruction,
  RunMount,
  RunOptions,
  SecretMountOptions,
  UserInstruction,
  WorkdirInstruction,
} from './docker/instructions';

// Database
export { DatabaseDriver, NeonComposeApp, NeonDatabaseOptions, NeonDatabaseProps, PoolStrategy } from './database/options';
export { ResolvedDatabase } from './database/resolved';
export { DatabaseFile, NeonDatabase } from './database/neon-database';

// CI
export { ActionShaPin, CiOptions } from './ci/options';
export { ResolvedCi } from './ci/resolved';
export { CiComponents, CiWorkflow } from './ci/ci-workflow';
