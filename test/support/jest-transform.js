// The server suites' jest transform. Types are checked once, by the typecheck step of `npm test`, so most
// files are only transpiled (no type-checking file by file). The files the @nestjs/swagger plugin rewrites
// read their types from a TypeScript program, as in the build, so /docs in tests documents the DTOs too.
const { TsJestTransformer } = require('ts-jest');

/** The files the swagger plugin visits: its default dtoFileNameSuffix and controllerFileNameSuffix. */
const SWAGGER_PLUGIN_FILES = /\.(dto|entity|controller)\.ts$/;

const typed = new TsJestTransformer({
  tsconfig: '<rootDir>/tsconfig.json',
  // Emitting still needs the program's types; reporting them again is the typecheck step's job.
  diagnostics: false,
  astTransformers: { before: ['<rootDir>/test/support/swagger-transformer.js'] },
});
const transpiled = new TsJestTransformer({ tsconfig: '<rootDir>/test/support/tsconfig.transpile.json' });

// ts-jest keeps one compiler per jest project config, whichever transformer asks first: the typed
// transformer is handed its own copy of the config so the two keep their own compilers and cache keys.
const typedConfigs = new WeakMap();
function forTyped(options) {
  let config = typedConfigs.get(options.config);
  if (!config) {
    config = { ...options.config, tsJestProgram: 'swagger-plugin' };
    typedConfigs.set(options.config, config);
  }
  return { ...options, config };
}

function pick(path, options) {
  return SWAGGER_PLUGIN_FILES.test(path) ? [typed, forTyped(options)] : [transpiled, options];
}

module.exports = {
  getCacheKey(source, path, options) {
    const [transformer, own] = pick(path, options);
    return transformer.getCacheKey(source, path, own);
  },
  getCacheKeyAsync(source, path, options) {
    const [transformer, own] = pick(path, options);
    return transformer.getCacheKeyAsync(source, path, own);
  },
  process(source, path, options) {
    const [transformer, own] = pick(path, options);
    return transformer.process(source, path, own);
  },
  processAsync(source, path, options) {
    const [transformer, own] = pick(path, options);
    return transformer.processAsync(source, path, own);
  },
};
