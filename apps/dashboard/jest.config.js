/** The dashboard's component and service specs: Angular in jsdom, zoneless, one jest run with the server suites. */
module.exports = {
  displayName: 'dashboard',
  rootDir: __dirname,
  preset: 'jest-preset-angular',
  testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env',
  setupFilesAfterEnv: ['<rootDir>/setup-jest.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: {
    '^@app/contracts$': '<rootDir>/../../libs/contracts/src',
    '^@app/deck$': '<rootDir>/../../libs/deck/src',
  },
  transform: {
    '^.+\\.(ts|js|mjs|html|svg)$': [
      'jest-preset-angular',
      { tsconfig: '<rootDir>/tsconfig.jest.json', stringifyContentPathRegex: '\\.(html|svg)$' },
    ],
  },
  transformIgnorePatterns: ['node_modules/(?!.*\\.mjs$)'],
};
