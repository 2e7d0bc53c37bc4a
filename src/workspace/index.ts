// UvWorkspace and UvPythonLibrary: several services and libraries in one uv workspace.
export { WorkspaceDatabaseMode, WorkspaceMemberKind } from '../core/workspace';
export type { WorkspaceMember } from '../core/workspace';
export type { UvPythonLibraryOptions, UvWorkspaceOptions } from './options';
export { UvPythonLibrary } from './uv-python-library';
export { UvWorkspace } from './uv-workspace';
