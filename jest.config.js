/** Unit specs sit beside the code (*.spec.ts); integration specs against real services in test/. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/workers', '<rootDir>/queues', '<rootDir>/test', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  // js first: ali-oss ships .ts sources beside its .js build, and node_modules must resolve to the build
  moduleFileExtensions: ['js', 'ts', 'json'],
  // generous: real engines, Slurm and Chromium share two cores with every other test file
  testTimeout: 180_000,
  maxWorkers: 2,
};
