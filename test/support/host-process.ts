import { projectRoot } from '../../tools/project-root';

export { runStartScript, startBotProcess, startHostProcess, type HostProcess } from '../../tools/host/spawn';

export const ROOT = projectRoot();
