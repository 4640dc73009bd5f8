import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { manifestSchemaErrors } from './helpers.js';

const manifestText = readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8');

interface SlashCommand {
  command: string;
  url: string;
  description: string;
  usage_hint: string;
}

describe('manifest.yml', () => {
  const manifest = parse(manifestText) as {
    features: { slash_commands: SlashCommand[] };
    oauth_config: { scopes: { bot: string[] } };
    settings: { socket_mode_enabled: boolean };
  };

  it("validates against Slack's app manifest schema", () => {
    expect(manifestSchemaErrors(manifest)).toEqual([]);
  });

  it('declares /cowsay and /chat at /slack/events, each with a description and usage hint', () => {
    const commands = manifest.features.slash_commands;
    expect(commands.map((command) => command.command)).toEqual(['/cowsay', '/chat']);
    for (const command of commands) {
      expect(new URL(command.url).pathname).toBe('/slack/events');
      expect(command.url.startsWith('https://')).toBe(true);
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.usage_hint.length).toBeGreaterThan(0);
    }
  });

  it('asks for the commands scope only, with Socket Mode off', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands']);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
