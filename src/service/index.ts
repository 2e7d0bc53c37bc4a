// UvPythonService: the project type on top, wiring the components.
export type { UvPythonServiceOptions } from './options';
export { NodeToolchain } from './toolchain';
export type { NodeToolchainOptions } from './toolchain';
export { UvPythonService } from './uv-python-service';
