// The public API, by name. Layers: core/ (option reading, problems, secrets, templates, versions) →
// components (python/, database/, docker/, ci/, k8s/) → the project type (service/) → workspace/.

// The project type
export { UvPythonService } from './service/uv-python-service';
export { IReadmeSource, README_BEGIN, README_END, ReadmeOutcome, ReadmeText, ServiceReadme } from './service/readme';
export { UvPythonServiceOptions } from './service/options';
export { NodeToolchain, NodeToolchainProps } from './service/toolchain';

// The workspace: several services and libraries in one uv workspace
export { UvWorkspace } from './workspace/uv-workspace';
export { UvPythonLibrary } from './workspace/uv-python-library';
export { UvWorkspaceOptions, UvPythonLibraryOptions } from './workspace/options';
export { IWorkspaceModel, WorkspaceDatabaseMode, WorkspaceMember, WorkspaceMemberKind } from './core/workspace';

// Python
export { PyprojectOptions } from './python/options';
export { Pyproject } from './python/pyproject';

// Docker
export { UvDockerOptions } from './docker/options';
export { DockerStageRole, DockerStages, DockerStagesOptions } from './docker/docker-stages';
export { DockerStage, DockerStageOptions } from './docker/model';
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
} from './docker/model';

// Database
export { DatabaseDriver, NeonDatabaseOptions, PoolStrategy } from './database/options';
export { NeonDatabase } from './database/neon-database';
export { WorkspaceCompose } from './compose/workspace-compose';
export { ServiceCompose } from './compose/service-compose';

// Import check of the service's own Python files
export { ImportCheckOptions } from './usercode/options';

// CI
export { ActionShaPin, CiOptions } from './ci/options';
export { CiWorkflow } from './ci/ci-workflow';
export { WorkspaceCiWorkflow, WorkspaceMemberJob } from './ci/workspace-workflow';
export { DependabotCandidate, DependabotUpdates, DroppedUpdater } from './ci/dependabot';
export { UpgradeWorkflow } from './ci/upgrade-workflow';

// Kubernetes
export { KubernetesAutoscalingOptions, KubernetesOptions, KubernetesResourcesOptions } from './k8s/options';
export { KubernetesManifests } from './k8s/kubernetes-manifests';
