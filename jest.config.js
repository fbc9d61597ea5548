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
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: '<rootDir>/tsconfig.json',
        // The same swagger plugin the build uses, so /docs in tests documents the DTOs too.
        astTransformers: {
          before: ['<rootDir>/test/support/swagger-transformer.js'],
        },
      },
    ],
  },
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@app/deck(|/.*)$': '<rootDir>/libs/deck/src$1',
    '^@app/contracts(|/.*)$': '<rootDir>/libs/contracts/src$1',
    '^@app/sqlite(|/.*)$': '<rootDir>/libs/sqlite/src$1',
  },
};

module.exports = {
  projects: [server, '<rootDir>/apps/dashboard/jest.config.js'],
  // A run-wide option: jest ignores it inside a project.
  testTimeout: 20000,
};
