// House rules as a tool: typescript-eslint's recommended rules and the layering of the code as
// import boundaries (queues/ knows nothing of src/; the bridge speaks HTTP and SSH only).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'web/dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'test-output/**', 'test/fixtures/**', 'web/src/api-schema.d.ts', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      // payloads parsed from JSON and test helpers read untyped data on purpose; the compiler checks the rest
      '@typescript-eslint/no-explicit-any': 'off',
      'no-control-regex': 'off', // control characters are refused by design in several validators
    },
  },
  {
    // small files, one concept each (STYLE.md: usually well under 300 lines); tests may be longer
    files: ['src/**/*.ts', 'workers/**/*.ts', 'queues/**/*.ts', 'web/src/**/*.ts', 'web/src/**/*.tsx', 'clients/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }] },
  },
  {
    // one owner of a job's life: statuses are chosen through JobPipeline, the only user of the status writer
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/jobs/job-pipeline.ts', 'src/jobs/jobs-core.module.ts', '**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/jobs/job-transitions'], importNames: ['JobTransitions'], message: 'move jobs through JobPipeline.advance / transaction: it alone calls the status writer' }] }],
    },
  },
  {
    files: ['queues/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/**', '../src', '../src/*'], message: 'queues/ is the contract between processes: it imports nothing of src/' }] }],
    },
  },
  {
    files: ['workers/bridge/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['typeorm', 'ioredis', 'bullmq', 'pg', '@nestjs/typeorm', '@nestjs/bullmq'].map((name) => ({ name, message: 'the campus bridge reaches the master over HTTPS and Slurm over SSH, nothing else' })),
          patterns: [{ group: ['**/src/database/**', '**/src/redis/**', '**/src/queueing/**'], message: 'the campus bridge has no database or Redis' }],
        },
      ],
    },
  },
);
