export * from './ms-column';
export * from './transactor';
