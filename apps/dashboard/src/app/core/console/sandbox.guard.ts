import { inject } from '@angular/core';
import { CanMatchFn } from '@angular/router';

import { ConsoleInfoService } from './console-info.service';

/** The Sandbox page exists only when the api's Deck is the sandbox. */
export const sandboxGuard: CanMatchFn = async () => (await inject(ConsoleInfoService).load())?.sandbox === true;
