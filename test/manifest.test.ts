import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { registerCommands } from '../src/commands/index.js';
import type { BoltRoutes } from '../src/commands/router.js';
import { DEFAULT_SLACK_API_URL } from '../src/config.js';
import { builtInFortunes } from '../src/cowsay/fortunes.js';
import { MODE_LETTERS } from '../src/cowsay/options.js';
import { createSlackOutbound } from '../src/slack/outbound.js';
import { createCapturingLogger, createFakeStore, manifestSchemaErrors, testCatalog } from './helpers.js';

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
  registerCommands(app, {
    catalog: await testCatalog(),
    store: createFakeStore(),
    fortunes: builtInFortunes(),
    outbound: createSlackOutbound({
      responseUrlOrigins: [],
      apiUrl: DEFAULT_SLACK_API_URL,
      logger: createCapturingLogger(),
    }),
    botToken: undefined,
  });
  return { commands, shortcuts };
}

describe('manifest.yml', () => {
  const manifest = parse(manifestText) as {
    features: {
      slash_commands: SlashCommand[];
      shortcuts: Array<{ name: string; type: string; callback_id: string; description: string }>;
    };
    oauth_config: { scopes: { bot: string[] } };
    settings: { socket_mode_enabled: boolean; interactivity: { is_enabled: boolean; request_url: string } };
  };

  it('declares exactly the commands and shortcuts the app registers', async () => {
    const app = await registered();
    const sorted = (names: string[]) => [...names].sort();
    expect(sorted(manifest.features.slash_commands.map((command) => command.command))).toEqual(sorted(app.commands));
    expect(sorted(manifest.features.shortcuts.map((shortcut) => shortcut.callback_id))).toEqual(sorted(app.shortcuts));
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

  it('declares the "Cowsay this" message shortcut, with interactivity sent to /slack/events', () => {
    expect(manifest.features.shortcuts).toEqual([
      { name: 'Cowsay this', type: 'message', callback_id: 'cowsay_message', description: expect.any(String) },
    ]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/events');
  });

  it('asks for the commands scope and chat:write (shortcut replies in threads) only, with Socket Mode off', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write']);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
