import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { registerCommands } from '../src/commands/index.js';
import type { BoltRoutes } from '../src/commands/router.js';
import { MODE_LETTERS } from '../src/cowsay/options.js';
import { createFakeStore, manifestSchemaErrors, testCatalog } from './helpers.js';

const manifestText = readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8');

interface SlashCommand {
  command: string;
  url: string;
  description: string;
  usage_hint: string;
}

/** What the app registers with Bolt, by kind, recorded from the real routing table. */
async function registered(): Promise<{ commands: string[]; shortcuts: string[] }> {
  const commands: string[] = [];
  const shortcuts: string[] = [];
  const app = {
    command: (name: string) => void commands.push(name),
    action: () => {},
    shortcut: (callbackId: string) => void shortcuts.push(callbackId),
    error: () => {},
  } as unknown as BoltRoutes & Parameters<typeof registerCommands>[0];
  registerCommands(app, { catalog: await testCatalog(), store: createFakeStore() });
  return { commands, shortcuts };
}

describe('manifest.yml', () => {
  const manifest = parse(manifestText) as {
    features: { slash_commands: SlashCommand[]; shortcuts?: Array<{ callback_id: string }> };
    oauth_config: { scopes: { bot: string[] } };
    settings: { socket_mode_enabled: boolean };
  };

  it('declares exactly the commands and shortcuts the app registers', async () => {
    const app = await registered();
    const sorted = (names: string[]) => [...names].sort();
    expect(sorted(manifest.features.slash_commands.map((command) => command.command))).toEqual(sorted(app.commands));
    expect(sorted((manifest.features.shortcuts ?? []).map((shortcut) => shortcut.callback_id))).toEqual(
      sorted(app.shortcuts),
    );
    expect(app.commands.length).toBeGreaterThan(0);
  });

  it('hints at every /cowsay mode letter', () => {
    const cowsay = manifest.features.slash_commands.find((command) => command.command === '/cowsay');
    expect(cowsay?.usage_hint).toContain(`[-${MODE_LETTERS.join('')}]`);
  });

  it("validates against Slack's app manifest schema", () => {
    expect(manifestSchemaErrors(manifest)).toEqual([]);
  });

  it('sends every command to /slack/events, each with a description and usage hint', () => {
    const commands = manifest.features.slash_commands;
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
