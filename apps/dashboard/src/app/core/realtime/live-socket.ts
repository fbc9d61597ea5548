import { InjectionToken } from '@angular/core';
import { io, ManagerOptions, Socket, SocketOptions } from 'socket.io-client';

import type { ClientToServerEvents, ServerToClientEvents } from '@app/contracts';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How the realtime service opens its socket; specs give it a scripted one. */
export const LIVE_SOCKET_FACTORY = new InjectionToken<
  (url: string, options: Partial<ManagerOptions & SocketOptions>) => LiveSocket
>('LIVE_SOCKET_FACTORY', { providedIn: 'root', factory: () => (url, options) => io(url, options) });
