import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** One route as the app declares it, e.g. `POST /v2/tasks/:task_id/run`. */
export interface Route {
  method: string;
  path: string;
  /** Names of the path parameters, in order. */
  params: string[];
  /** The handler takes a `@Body()`. */
  hasBody: boolean;
}

export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export const routeName = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;

type ModuleRef = Type | { module?: Type; imports?: unknown[]; controllers?: Type[]; forwardRef?: () => unknown };

/** Every controller reachable from `root` through imports (dynamic modules included; async ones hold none of ours). */
function controllersOf(root: Type): Type[] {
  const seen = new Set<unknown>();
  const controllers: Type[] = [];
  const visit = (ref: unknown): void => {
    if (!ref || seen.has(ref) || ref instanceof Promise) {
      return;
    }
    seen.add(ref);
    if (typeof ref === 'function') {
      ((Reflect.getMetadata(MODULE_METADATA.IMPORTS, ref) as unknown[] | undefined) ?? []).forEach(visit);
      controllers.push(...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, ref) as Type[] | undefined) ?? []));
      return;
    }
    const dynamic = ref as Exclude<ModuleRef, Type>;
    if (dynamic.forwardRef) {
      visit(dynamic.forwardRef());
      return;
    }
    visit(dynamic.module);
    (dynamic.imports ?? []).forEach(visit);
    controllers.push(...(dynamic.controllers ?? []));
  };
  visit(root);
  return [...new Set(controllers)];
}

/** A path decorator's value: one path, several, or none (the controller's root). */
const asList = (value: unknown): string[] =>
  Array.isArray(value) ? (value as string[]) : [typeof value === 'string' ? value : ''];

function joinPath(...parts: string[]): string {
  const joined = `/${parts.filter(Boolean).join('/')}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/**
 * The route table of an app module, read from Nest's decorators without starting it, so that
 * jest can generate one test per route; `expectServedRoutes` checks it against the running app.
 */
export function declaredRoutes(appModule: Type): Route[] {
  const routes: Route[] = [];
  for (const controller of controllersOf(appModule)) {
    const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller));
    const proto = controller.prototype as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(proto)) {
      const handler = proto[key];
      if (key === 'constructor' || typeof handler !== 'function') {
        continue;
      }
      const own = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (own === undefined) {
        continue;
      }
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) as object | undefined) ?? {};
      const hasBody = Object.keys(args).some((arg) => arg.startsWith(`${RouteParamtypes.BODY}:`));
      for (const prefix of prefixes) {
        for (const path of asList(own)) {
          const full = joinPath(prefix, path);
          const params = [...full.matchAll(/[:*](\w+)/g)].map((m) => m[1]);
          routes.push({ method, path: full, params, hasBody });
        }
      }
    }
  }
  return routes.sort((a, b) => routeName(a).localeCompare(routeName(b)));
}

/** A router entry that is not one of the app's own routes, and why it is left out. */
export interface ServedException {
  match: (route: { method: string; path: string }) => boolean;
  reason: string;
}

interface ExpressLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/** What express actually serves: `ALL` for handlers bound to every method. */
export function servedRoutes(app: NestExpressApplication): { method: string; path: string }[] {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } }).router;
  const served: { method: string; path: string }[] = [];
  for (const layer of router.stack) {
    if (!layer.route) {
      continue;
    }
    const path = typeof layer.route.path === 'string' ? layer.route.path : String(layer.route.path);
    const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
    if (layer.route.methods._all || methods.length > 10) {
      served.push({ method: 'ALL', path });
    } else {
      served.push(...methods.map((m) => ({ method: m.toUpperCase(), path })));
    }
  }
  return served;
}

/**
 * Fails, naming them, on routes the running app serves that the declared table lacks (a route
 * added some other way) and on declared routes it does not serve: either means this suite
 * would not cover what the app really does.
 */
export function expectServedRoutes(
  app: NestExpressApplication,
  declared: Route[],
  exceptions: ServedException[],
): void {
  const served = servedRoutes(app).filter((route) => !exceptions.some((e) => e.match(route)));
  const declaredNames = new Set(declared.map(routeName));
  const servedNames = new Set(served.map(routeName));
  const unclassified = [...servedNames].filter((name) => !declaredNames.has(name));
  const missing = [...declaredNames].filter((name) => !servedNames.has(name));
  if (unclassified.length > 0 || missing.length > 0) {
    throw new Error(
      [
        unclassified.length > 0
          ? `Served but not declared by a controller, so not covered by the hostile-input suite: ${unclassified.join(', ')}. ` +
            'Classify each: make it a controller route, or add it to the exceptions table of its app with a reason.'
          : '',
        missing.length > 0 ? `Declared but not served: ${missing.join(', ')}.` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
}
