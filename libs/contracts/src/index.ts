export * from './auth';
export * from './credentials';
export * from './errors';
export * from './interactions';
export * from './live';
export * from './operators';
