export * from './enums';
export * from './errors';
export * from './events';
export * from './ids';
export * from './objects';
export * from './sandbox';
