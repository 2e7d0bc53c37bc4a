/** Task that builds the runtime stage (when {@link DockerStagesOptions.imageName} is given). */
export const DOCKER_BUILD_TASK = 'docker:build';

/** Task that builds the testing stage and runs it (when there is a testing stage and an image name). */
export const DOCKER_TEST_TASK = 'docker:test';
