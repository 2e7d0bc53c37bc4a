// UvWorkspace and UvPythonLibrary: several services and libraries in one uv workspace.
export { WorkspaceDatabaseMode, WorkspaceMember, WorkspaceMemberKind } from '../core/workspace';
export { UvPythonLibraryOptions, UvWorkspaceOptions } from './options';
export { UvPythonLibrary } from './uv-python-library';
export { UvWorkspace } from './uv-workspace';
