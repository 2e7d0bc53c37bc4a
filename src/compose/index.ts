// compose.yaml of a service and of a workspace, from DockerStages and NeonDatabase.
export * from './service-compose';
export * from './workspace-compose';
