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
const rooms = [
  'rules',
  'mail',
  'mailbox',
  'crm',
  'graph',
  'app',
  'host',
  'taskpane',
  'commands',
  'events',
  'dialog',
  'cli',
];
const roomPaths = (room) => [`../${room}`, `../${room}/*`, `../../${room}`, `../../${room}/*`];
const WRONG_WAY = 'This import points the wrong way between rooms (see ARCHITECTURE.md, "Import direction").';
/**
 * `allowed`: single files of a forbidden room that may still be imported ('mailbox/categories'),
 * each with its reason where the rule is set.
 */
const forbidRooms = (forbidden, allowed = []) => {
  const except = allowed.map((file) => `(?!${file.replace(/[/.]/g, '\\$&')}$)`).join('');
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(\\.\\./)+${except}(${forbidden.join('|')})(/.*)?$`,
            message: WRONG_WAY,
          },
        ],
      },
    ],
  };
};

/**
 * The `Office` global as a value (a call, a property read, passed on): only src/mailbox, which
 * implements the ports over it, and the entry points that register with Office may touch it.
 * `no-restricted-globals` sees value references only, so its types (`Office.MessageRead`,
 * `typeof Office`) stay allowed everywhere: they are erased at build.
 */
const OFFICE_ONLY_IN_MAILBOX =
  'Only src/mailbox (and the entry points that register with Office) may use the Office global: take what you need through a port (ARCHITECTURE.md).';
const noOfficeGlobal = {
  'no-restricted-globals': ['error', { name: 'Office', message: OFFICE_ONLY_IN_MAILBOX }],
  'no-restricted-properties': [
    'error',
    { object: 'globalThis', property: 'Office', message: OFFICE_ONLY_IN_MAILBOX },
    { object: 'window', property: 'Office', message: OFFICE_ONLY_IN_MAILBOX },
  ],
};

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
  {
    // Email text and the add-in's marks on items (marks.ts encodes the app's TrackTag and DraftMark,
    // read by both the Office.js and the Graph side): types from app only, never app code.
    files: ['src/mail/**/*.ts'],
    rules: {
      ...forbidRooms(rooms.filter((r) => r !== 'rules' && r !== 'mail' && r !== 'app')),
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../app', '../app/*'],
              allowTypeImports: true,
              message: 'src/mail may import only types from src/app.',
            },
          ],
        },
      ],
    },
  },
  {
    // The mailbox seen through Microsoft Graph: rules, mail and the app's port types. From the CRM
    // room only what both HTTP adapters share: OData escaping (one place escapes literals), tokens
    // and the retry policy; never the Dataverse adapter.
    files: ['src/graph/**/*.ts'],
    rules: {
      ...forbidRooms(['mailbox', 'host', 'taskpane', 'commands', 'events', 'dialog', 'cli'], []),
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../app', '../app/*'],
              allowTypeImports: true,
              message: 'src/graph may import only types from src/app (the ports it implements).',
            },
            {
              regex: '^\\.\\./crm/(?!(odata|auth|retryPolicy)$)',
              message: 'src/graph takes only crm/odata, crm/auth and crm/retryPolicy from the CRM room.',
            },
          ],
        },
      ],
    },
  },
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
    rules: forbidRooms(['mail', 'mailbox', 'graph', 'app', 'host', 'taskpane', 'commands', 'events', 'cli']),
  },
  {
    // Use cases: ports as arguments, no implementation. The category names are shared with the
    // mailbox adapter that writes them (src/mailbox/categories.ts, plain constants).
    files: ['src/app/**/*.ts'],
    rules: {
      ...forbidRooms(
        ['mailbox', 'host', 'taskpane', 'commands', 'events', 'dialog', 'cli'],
        ['mailbox/categories'],
      ),
    },
  },
  {
    files: ['src/taskpane/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // Components get their data by props: no CRM, mailbox or composition root. The CRM's record
    // shapes may be named as types (what a prop carries), never imported as code.
    files: ['src/taskpane/components/**/*.{ts,tsx}'],
    rules: {
      ...forbidRooms(['mailbox', 'host']),
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: roomPaths('crm'), allowTypeImports: true, message: WRONG_WAY }] },
      ],
    },
  },
  {
    // The Office global outside src/mailbox and the entry points that register with Office.
    files: ['src/**/*.{ts,tsx}'],
    ignores: [
      'src/mailbox/**',
      'src/host/**',
      'src/commands/**',
      'src/events/**',
      'src/dialog/**',
      // The pane's entry: hands Office to the controller once office.js is ready.
      'src/taskpane/index.tsx',
      // The admin page's entry: reads Office's display language when Outlook opened it.
      'src/admin/index.tsx',
    ],
    rules: noOfficeGlobal,
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
