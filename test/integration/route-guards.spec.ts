import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Every HTTP route of the master has a guard, or is in this list of routes public by design with
// the reason: a route added without either fails here.
const PUBLIC: Record<string, string> = {
  'POST /auth/register': 'sign-up (REGISTRATION decides)',
  'POST /auth/login': 'sign-in (throttled)',
  'GET /auth/session': 'says whether a session exists, never 401',
  'POST /auth/logout': 'clears the cookie; revokes tokens when it holds a valid one',
  'GET /files/:key': 'HMAC-signed, expiring URL (URL_SIGNING_SECRET)',
  'PUT /files/:key': 'HMAC-signed, expiring URL (URL_SIGNING_SECRET)',
  'GET /health': 'liveness for the proxy and compose',
  'GET /metrics': 'ops gate: METRICS_TOKEN or loopback only',
};

const world = newWorld();
const ctx = usePlatform(world, []);

describe('route table', () => {
  it('every route has a guard or is public by design', () => {
    const routes: { route: string; guarded: boolean }[] = [];
    for (const module of ctx.platform.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
        if (!controller) continue;
        const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
        const classGuards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, controller) ?? [];
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = controller.prototype[name as keyof object] as unknown;
          if (
            name === 'constructor' ||
            typeof handler !== 'function' ||
            Reflect.getMetadata(PATH_METADATA, handler) === undefined
          )
            continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
          const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler))]
            .map((p) => p.replace(/^\/|\/$/g, ''))
            .filter(Boolean)
            .join('/')}`;
          const guards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, handler) ?? [];
          routes.push({ route: `${method} ${path}`, guarded: classGuards.length + guards.length > 0 });
        }
      }
    }
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => !r.guarded && !PUBLIC[r.route]).map((r) => r.route)).toEqual([]);
    // the list does not go stale: every public route still exists, and none of them is guarded by accident
    expect(Object.keys(PUBLIC).filter((p) => !routes.some((r) => r.route === p && !r.guarded))).toEqual([]);
  });
});
