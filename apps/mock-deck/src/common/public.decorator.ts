import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'deckhand:public';

/** Marks a route that needs no API key (health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
