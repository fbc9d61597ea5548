import { DASHBOARD_ROUTE, dashboardCacheControl } from './dashboard-routes';

describe('DASHBOARD_ROUTE', () => {
  it.each(['/', '/connect', '/credentials/cred_abc', '/credentials/cred_abc/', '/apis', '/healthy', '/webhooks-help'])(
    'should take %s as a deep link',
    (path) => {
      expect(DASHBOARD_ROUTE.test(path)).toBe(true);
    },
  );

  it.each([
    '/api',
    '/api/',
    '/api/credentials',
    '/API/credentials',
    '/webhooks/deck',
    '/health',
    '/health/',
    '/socket.io',
    '/socket.io/',
    '/main-ABCD1234.js',
    '/media/font-ABCD1234.woff2',
    '/favicon.svg',
  ])('should leave %s alone', (path) => {
    expect(DASHBOARD_ROUTE.test(path)).toBe(false);
  });
});

describe('dashboardCacheControl', () => {
  it.each([
    ['/srv/dashboard/main-4ANZ2LRG.js', 'public, max-age=31536000, immutable'],
    ['/srv/dashboard/chunk-2TCNM6PB.js', 'public, max-age=31536000, immutable'],
    ['/srv/dashboard/styles-EDTS6LNK.css', 'public, max-age=31536000, immutable'],
    ['/srv/dashboard/media/roboto-latin-400-normal-LEZCGFVT.woff2', 'public, max-age=31536000, immutable'],
    ['/srv/dashboard/index.html', 'no-store'],
    ['/srv/dashboard/favicon.svg', 'no-cache'],
    ['/srv/dashboard/main.js', 'no-cache'],
  ])('should give %s %s', (path, expected) => {
    expect(dashboardCacheControl(path)).toBe(expected);
  });
});
