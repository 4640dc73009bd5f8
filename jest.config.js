// ESM all the way: the app is an ES module project, so Jest runs with --experimental-vm-modules
// (see the "jest" script) and ts-jest compiles each file on its own (isolatedModules).
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // The process tests start dist/index.js; this builds it when src/ is newer.
  globalSetup: '<rootDir>/test/global-setup.mjs',
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testTimeout: 30000,
};
