import path from 'node:path';
import { applySettings, readLocalSettings, type LocalSettings } from './host/local-settings';
import { projectRoot } from './project-root';

/**
 * The project's settings for the dev tools (npm start, token, provision): local.settings.json if
 * there is one, else the committed example, applied to the environment (set variables win).
 */
export function applyProjectSettings(root: string = projectRoot()): LocalSettings | undefined {
  const settings =
    readLocalSettings(path.join(root, 'local.settings.json')) ?? readLocalSettings(path.join(root, 'local.settings.example.json'));
  if (settings) applySettings(settings.values);
  return settings;
}
