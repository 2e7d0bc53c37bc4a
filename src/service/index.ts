// UvPythonService: the project type on top, wiring the components.
export { UvPythonServiceOptions } from './options';
export { NodeToolchain, NodeToolchainOptions } from './toolchain';
export { UvPythonService } from './uv-python-service';
