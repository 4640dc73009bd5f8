#!/usr/bin/env node
/**
 * The attacking side of scripts/stress.mjs, in a process of its own so that the time it spends building
 * and sending requests never shows up in the latencies the main script measures. Run by stress.mjs as
 * `node scripts/stress-attacker.mjs <attack> <json options>`; prints one JSON result line and exits.
 */
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { randomWideText, timed } from './stress-kit.mjs';

/** Connections the pipelining attack opens at most, whatever its duration. */
const MAX_PIPELINING_CONNECTIONS = 100_000;

/** Raw connections that pipeline `GET /` without ever reading, reconnecting whenever the server cuts one. */
async function pipelining({ port, connections, durationMs }) {
  const chunk = Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'.repeat(1800));
  const deadline = performance.now() + durationMs;
  let opened = 0;
  let cuts = 0;
  const attacker = () =>
    new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.pause();
      const feed = setInterval(() => {
        if (socket.writableLength < 256 * 1024) socket.write(chunk);
      }, 20);
      const end = setTimeout(() => socket.destroy(), Math.max(0, deadline - performance.now()));
      socket.on('connect', () => socket.write(chunk));
      socket.on('error', () => {});
      socket.on('close', () => {
        clearInterval(feed);
        clearTimeout(end);
        if (performance.now() < deadline) cuts++;
        resolve();
      });
    });
  const loop = async () => {
    while (performance.now() < deadline && opened++ < MAX_PIPELINING_CONNECTIONS) await attacker();
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return { cuts };
}

/** Keep-alive clients requesting worst-case /say pages back to back; `forwarded`: a new X-Forwarded-For each. */
async function sayFlood({ port, connections, durationMs, characters, forwarded }) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const urls = Array.from({ length: 50 }, () => `/say/${encodeURIComponent(randomWideText(characters))}?W=10`);
  const deadline = performance.now() + durationMs;
  const statuses = {};
  const loop = async (index) => {
    for (let request = index; performance.now() < deadline; request += connections) {
      const headers = forwarded ? { 'X-Forwarded-For': `198.18.${request % 250}.${(request >> 8) % 250}` } : {};
      const { status } = await timed(port, { path: urls[request % urls.length], headers, agent, timeoutMs: 15_000 });
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, index) => loop(index)));
  agent.destroy();
  return { statuses };
}

const attacks = { pipelining, sayFlood };
const [name = '', options = '{}'] = process.argv.slice(2);
const attack = attacks[name];
if (attack === undefined) {
  console.error(`stress-attacker: unknown attack "${name}" (${Object.keys(attacks).join(', ')})`);
  process.exit(2);
}
console.log(JSON.stringify(await attack(JSON.parse(options))));
process.exit(0);
