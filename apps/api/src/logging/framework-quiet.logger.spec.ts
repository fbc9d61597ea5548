import type { LoggerService } from '@nestjs/common';

import { FrameworkQuietLogger } from './framework-quiet.logger';

describe(FrameworkQuietLogger.name, () => {
  let inner: jest.Mocked<Required<Pick<LoggerService, 'log' | 'debug' | 'warn' | 'error'>>>;
  let sut: FrameworkQuietLogger;

  beforeEach(() => {
    inner = { log: jest.fn(), debug: jest.fn(), warn: jest.fn(), error: jest.fn() };
    sut = new FrameworkQuietLogger(inner);
  });

  it.each([
    'NestFactory',
    'NestApplication',
    'InstanceLoader',
    'RoutesResolver',
    'RouterExplorer',
    'WebSocketsController',
  ])("should move Nest's %s narration to debug", (context) => {
    sut.log('Mapped {/api/console, GET} route', context);
    expect(inner.debug).toHaveBeenCalledWith('Mapped {/api/console, GET} route', context);
    expect(inner.log).not.toHaveBeenCalled();
  });

  it("should leave the app's own info lines and every warning and error as they are", () => {
    sut.log('Registered webhook destination evtd_1', 'WebhookRegistration');
    sut.warn('Catch-up failed', 'RoutesResolver');
    sut.error('boom', 'InstanceLoader');
    expect(inner.log).toHaveBeenCalledWith('Registered webhook destination evtd_1', 'WebhookRegistration');
    expect(inner.warn).toHaveBeenCalledWith('Catch-up failed', 'RoutesResolver');
    expect(inner.error).toHaveBeenCalledWith('boom', 'InstanceLoader');
    expect(inner.debug).not.toHaveBeenCalled();
  });
});
