// The @nestjs/swagger CLI plugin as a ts-jest AST transformer, so apps booted in
// tests document their DTOs in /docs exactly as the built apps do.
const transformer = require('@nestjs/swagger/plugin');

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (cs) => transformer.before({ classValidatorShim: true, introspectComments: true }, cs.program);
