import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const ARTIFACTS_DIR = `${REPO_ROOT}artifacts`;
export const SCREENSHOTS_DIR = `${ARTIFACTS_DIR}/screenshots`;
