/**
 * Flat ESLint config: @eslint/js + typescript-eslint + react-hooks, then eslint-config-prettier
 * (formatting belongs to Prettier: `npm run lint` runs `prettier --check .` after ESLint).
 * CommonJS because package.json has no "type": "module".
 */
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const reactHooks = require('eslint-plugin-react-hooks');
const prettier = require('eslint-config-prettier');

/** Node's globals for scripts and configs (TypeScript files need none: the compiler checks names). */
const nodeGlobals = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    '__dirname',
    '__filename',
    'process',
    'console',
    'Buffer',
    'URL',
    'setTimeout',
    'clearTimeout',
  ].map((name) => [name, 'readonly']),
);

/**
 * Import direction between the rooms (ARCHITECTURE.md): entry points → app → rules, crm, mailbox;
 * mailbox → mail → rules. A room may not import the rooms listed against it.
 */
const rooms = ['rules', 'mail', 'mailbox', 'crm', 'app', 'host', 'taskpane', 'commands', 'events', 'cli'];
const forbidRooms = (forbidden) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: forbidden.flatMap((room) => [
            `../${room}`,
            `../${room}/*`,
            `../../${room}`,
            `../../${room}/*`,
          ]),
          message:
            'This import points the wrong way between rooms (see ARCHITECTURE.md, "Import direction").',
        },
      ],
    },
  ],
});

module.exports = tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'test-output/**', '.cert/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a deliberately unused name.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // src/rules is pure: it imports nothing outside itself, not even a package.
    files: ['src/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              message: 'src/rules imports nothing outside itself (only ./ paths): see ARCHITECTURE.md.',
            },
          ],
        },
      ],
    },
  },
  { files: ['src/mail/**/*.ts'], rules: forbidRooms(rooms.filter((r) => r !== 'rules' && r !== 'mail')) },
  {
    // The mailbox adapter implements the app's MailboxPort: it may import the port's TYPES from app
    // (erased at build), never app code.
    files: ['src/mailbox/**/*.ts'],
    rules: {
      ...forbidRooms(['crm', 'taskpane', 'commands', 'events', 'cli']),
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../app', '../app/*'],
              allowTypeImports: true,
              message: 'src/mailbox may import only types from src/app (the ports it implements).',
            },
          ],
        },
      ],
    },
  },
  {
    // The composition root: the one place that picks the implementations of the ports.
    files: ['src/host/**/*.ts'],
    rules: forbidRooms(['taskpane', 'commands', 'events', 'cli']),
  },
  {
    files: ['src/crm/**/*.ts'],
    rules: forbidRooms(['mail', 'mailbox', 'app', 'host', 'taskpane', 'commands', 'events', 'cli']),
  },
  { files: ['src/app/**/*.ts'], rules: forbidRooms(['host', 'taskpane', 'commands', 'events', 'cli']) },
  {
    files: ['src/taskpane/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // Node scripts and configs (CommonJS .js/.cjs, ES modules .mjs).
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
