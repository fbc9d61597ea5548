export * from './auth';
export * from './console';
export * from './credentials';
export * from './errors';
export * from './interactions';
export * from './live';
export * from './operators';
