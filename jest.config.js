/**
 * One jest run for every suite: the server side (unit specs next to the code,
 * cross-app specs in test/) and the dashboard's component specs (jsdom).
 */
const server = {
  displayName: 'server',
  rootDir: __dirname,
  moduleFileExtensions: ['js', 'json', 'ts'],
  roots: ['<rootDir>/apps/mock-deck', '<rootDir>/apps/api', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  // Transpiled only (types are checked once, by the typecheck step), except the files the swagger plugin
  // reads types for, so /docs in tests documents the DTOs as the build does.
  transform: { '^.+\\.ts$': '<rootDir>/test/support/jest-transform.js' },
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@app/deck(|/.*)$': '<rootDir>/libs/deck/src$1',
    '^@app/contracts(|/.*)$': '<rootDir>/libs/contracts/src$1',
    '^@app/sqlite(|/.*)$': '<rootDir>/libs/sqlite/src$1',
  },
};

module.exports = {
  projects: [server, '<rootDir>/apps/dashboard/jest.config.js'],
  // Run-wide options: jest ignores them inside a project.
  testTimeout: 20000,
  // One worker per core, not jest's cores − 1: the suites mostly wait on servers and child processes
  // they start on free ports and in temporary folders, so they share a machine safely (on 2 cores
  // the whole jest run takes about 5 minutes instead of 10).
  maxWorkers: '100%',
};
