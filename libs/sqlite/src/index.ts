export * from './ms-column';
export * from './transactor';
export * from './sqlite-options';
export * from './reader';
