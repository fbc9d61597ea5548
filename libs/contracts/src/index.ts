export * from './auth';
export * from './credentials';
export * from './errors';
export * from './live';
