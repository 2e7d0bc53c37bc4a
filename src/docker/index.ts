// DockerStages: the Dockerfile model (stages, instructions), its checks and .dockerignore; the uv preset's options.
export * from './docker-stages';
export * from './dockerignore';
export * from './model';
export * from './options';
