/**
 * GET routes served beside Slack's endpoint.
 */
import type { MessageStore } from '../store/message-store.js';
import { sendJson } from './respond.js';
import type { RouteHandler } from './server.js';

export interface RouteDependencies {
  store: MessageStore;
}

export function createRoutes({ store }: RouteDependencies): RouteHandler {
  return async (request, response, url) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (url.pathname === '/healthz') {
      try {
        await store.ping();
        sendJson(response, 200, { status: 'ok' });
      } catch (error) {
        sendJson(response, 503, {
          status: 'unavailable',
          reason: error instanceof Error ? error.message : 'store failed',
        });
      }
      return true;
    }
    return false;
  };
}
