/**
 * Three bundles, one compilation:
 * - taskpane: React 18 + Fluent UI v9 pane (taskpane.html + taskpane.js);
 * - commands: commands.html + commands.js, ONE bundle holding the ribbon command AND the event handlers:
 *   commands.html is also the event runtime page for Outlook on the web, new Outlook and Mac, and two
 *   bundles there would carry two copies of the rules and the CRM code;
 * - events:   the event handlers as ONE self-contained file (events.js) for classic Outlook on Windows,
 *   whose JavaScript-only runtime has no DOM and loads exactly one file: no chunk loading, no shared
 *   chunks, no runtime chunk, no dev-server client, no eval source maps, ES2017 (its own layer).
 *
 * The pane's styles are CSS, not JavaScript: Griffel's build-time extraction writes every Fluent and
 * makeStyles rule to griffel.css, which taskpane.html links in <head> (loaded before first paint).
 *
 * The workbench (workbench/, `npm start`): an Outlook-like page on the simulator around the real pane,
 * commands and dialog. It is built by `webpack serve` and by `webpack --env workbench` (the e2e suite,
 * the pane benchmark), never into a plain production build. Its host pages (workbench/*.html) are the
 * add-in's own pages without office.js from the CDN: one inline script takes `Office` from the
 * workbench page (parent.__TIC_WORKBENCH__.attach) before the bundles load.
 *
 * `webpack --mode production` rewrites https://localhost:3000/ in dist/manifest.xml from the one setting
 * ADDIN_BASE_URL (scripts/base-url.cjs). `webpack serve` serves https://localhost:3000 with a generated
 * self-signed certificate (scripts/dev-cert.cjs).
 */
const path = require('node:path');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const { EsbuildPlugin } = require('esbuild-loader');
const MinimizerPlugin = require('minimizer-webpack-plugin');
const MiniCssExtractPlugin = require('mini-css-extract-plugin');
const { GriffelCSSExtractionPlugin } = require('@griffel/webpack-extraction-plugin');
const { DEV_BASE_URL, parseBaseUrl, rewriteManifest } = require('./scripts/base-url.cjs');

/**
 * Two language levels. The pages (pane, commands, dialog) run in Outlook on the web, new Outlook, Mac and
 * classic Outlook's Edge WebView2 (Trident and EdgeHTML remain only in perpetual Office through 2019,
 * whose Outlook lacks the manifest's Mailbox 1.8): ES2020, so optional chaining, `??` and object spread
 * ship as written instead of as helpers.
 * events.js keeps ES2017 for classic Outlook's JavaScript-only runtime; it is built in its own layer
 * (EVENTS_LAYER), so the modules it shares with the pages are compiled once per level.
 */
// tsconfig.json is plain JSON (no comments), so it can be read as such for esbuild's options below.
const esbuildCompilerOptions = {
  ...require('./tsconfig.json').compilerOptions,
  useDefineForClassFields: false,
};
const TARGET = 'es2017';
const PAGES_TARGET = 'es2020';
const EVENTS_LAYER = 'events-es2017';
const EVENTS_FILE = /^events\.js$/;

/**
 * A workbench host page from one of the add-in's page templates: office.js (CDN) removed, a <base> so
 * the page's relative URLs (bundles, lazy chunks, assets) resolve as in the real page at the root, and
 * the inline script that gives the window the workbench's simulator Office.
 */
function workbenchHostPage(template, role) {
  const fs = require('node:fs');
  return () => {
    const html = fs.readFileSync(path.resolve(__dirname, template), 'utf8');
    const withoutCdn = html.replace(/\s*<script[^>]*appsforoffice\.microsoft\.com[^>]*><\/script>/g, '');
    if (withoutCdn === html) throw new Error(`${template}: the office.js script tag was not found`);
    const attach =
      `<base href="../" />\n    <script>\n` +
      `      (function () {\n` +
      `        var workbench = null;\n` +
      `        try { workbench = window.parent !== window && window.parent.__TIC_WORKBENCH__; } catch (e) {}\n` +
      `        if (!workbench) { document.title = 'Open workbench.html instead'; throw new Error('This page runs inside workbench.html.'); }\n` +
      `        workbench.attach(window, ${JSON.stringify(role)});\n` +
      `      })();\n` +
      `    </script>`;
    // Right after <meta charset> (which must come first), before anything that loads.
    return /<meta charset="[^"]*"\s*\/?>/i.test(withoutCdn)
      ? withoutCdn.replace(/(<meta charset="[^"]*"\s*\/?>)/i, `$1\n    ${attach}`)
      : withoutCdn.replace(/<head>/, `<head>\n    ${attach}`);
  };
}

module.exports = async (env, argv) => {
  const production = argv.mode === 'production';
  const serving = Boolean(env && env.WEBPACK_SERVE);
  const workbench = serving || Boolean(env && env.workbench);

  let baseUrl = DEV_BASE_URL;
  if (production) {
    const configured = parseBaseUrl(process.env.ADDIN_BASE_URL);
    if (configured) baseUrl = configured;
    else
      console.warn(`ADDIN_BASE_URL is not set: dist/manifest.xml keeps ${DEV_BASE_URL} (development URLs).`);
  }

  /** @type {import('webpack').Configuration} */
  const config = {
    mode: production ? 'production' : 'development',
    context: __dirname,
    target: ['web', TARGET],
    // Never an eval-based devtool: the JavaScript-only runtime may refuse eval.
    devtool: 'source-map',
    entry: {
      taskpane: './src/taskpane/index.tsx',
      commands: './src/commands/commands.ts',
      regarding: './src/dialog/regarding.ts',
      // The admin page (System Settings, OrgDBOrgSettings, tic_ variables, synchronized fields).
      admin: './src/admin/index.tsx',
      // The one entry that may never load another file (classic Outlook's JavaScript-only runtime).
      events: { import: './src/events/events.ts', chunkLoading: false, layer: EVENTS_LAYER },
      ...(workbench ? { workbench: './workbench/workbench.ts' } : {}),
    },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      // No "auto" public path: that runtime reads document.currentScript, which events.js must not touch.
      publicPath: '',
      // Pages load lazy chunks (MSAL on first sign-in) from their own folder; events.js loads none.
      chunkFilename: 'chunks/[name].[contenthash:8].js',
      wasmLoading: false,
      clean: true,
    },
    experiments: { layers: true },
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
    },
    module: {
      rules: [
        // postal-mime declares no sideEffects, so webpack would keep its whole MIME parser for the two
        // header helpers we import (decodeWords, addressParser): its modules have none.
        { test: /[\\/]node_modules[\\/]postal-mime[\\/]/, sideEffects: false },
        // The pane-only words' English default (src/app/appPaneWords.ts) builds its table when loaded:
        // flagged free of side effects, it stays out of commands.js and events.js, whose code never calls it.
        { test: /[\\/]src[\\/]app[\\/]appPaneWords\.ts$/, sideEffects: false },
        // MSAL is a lazy chunk of the pages. events.js cannot load chunks (with chunkLoading false webpack
        // would inline all of MSAL's ~1 MB into it) and classic Outlook's JavaScript-only runtime cannot
        // show MSAL's sign-in popup anyway: in the events layer MSAL resolves to nothing, so a sign-in
        // attempt there fails as it always did (no module) and never ships MSAL.
        // The record search (src/crm/recordSearch.ts) is a chunk the pane and the dialog load to search;
        // events.js would inline it (it loads no chunk), yet its compose handlers never search: in the
        // events layer it resolves to nothing too (the adapter's findRecords is never called there).
        {
          issuerLayer: EVENTS_LAYER,
          resolve: {
            alias: {
              '@azure/msal-browser': false,
              [path.resolve(__dirname, 'src/crm/recordSearch')]: false,
              // The German and French use-case words: a chunk for commands.html, a fetch for events.js.
              [path.resolve(__dirname, 'src/events/appTable')]: path.resolve(
                __dirname,
                'src/events/appTableFetched',
              ),
            },
          },
        },
        // Griffel's styles leave the JavaScript at build time (the pane's initial JS budget): Fluent's
        // packages ship precompiled __styles() calls, our own makeStyles() calls are precompiled by
        // @griffel/webpack-loader (after esbuild: loaders of matching rules run last rule first), and the
        // extraction loader then replaces each with class names only and the CSS goes to griffel.css.
        {
          test: /\.[cm]?[jt]sx?$/,
          include: [
            path.resolve(__dirname, 'src/taskpane'),
            path.resolve(__dirname, 'src/admin'),
            /[\\/]node_modules[\\/]@fluentui[\\/]/,
          ],
          loader: GriffelCSSExtractionPlugin.loader,
        },
        {
          test: /\.[cm]?tsx?$/,
          include: [path.resolve(__dirname, 'src/taskpane'), path.resolve(__dirname, 'src/admin')],
          loader: '@griffel/webpack-loader',
        },
        { test: /\.css$/, use: [MiniCssExtractPlugin.loader, 'css-loader'] },
        {
          test: /\.[cm]?tsx?$/,
          exclude: /node_modules/,
          oneOf: [TARGET, PAGES_TARGET].map((target) => ({
            ...(target === TARGET ? { issuerLayer: EVENTS_LAYER } : {}),
            loader: 'esbuild-loader',
            // Class fields as assignments in the constructor (useDefineForClassFields false, chosen): the
            // targets predate class fields, and esbuild's define-semantics lowering repeats a helper in
            // every module with a class (the typed errors, the adapters), which commands.js pays for.
            options: {
              target,
              jsx: 'automatic',
              tsconfigRaw: { compilerOptions: esbuildCompilerOptions },
            },
          })),
        },
      ],
    },
    optimization: {
      // Each entry is one file with its own runtime. events.js in particular must not share a chunk.
      // The one split: GriffelCSSExtractionPlugin adds its "griffel" cache group (every extracted style
      // into griffel.css); webpack's default groups are off, so no JavaScript is shared between entries.
      splitChunks: { cacheGroups: { default: false, defaultVendors: false } },
      runtimeChunk: false,
      minimizer: [
        // events.js: esbuild only lowers the syntax of dependencies to ES2017 (esbuild-loader compiles
        // our TypeScript alone); Terser then minifies it as it does the pages, held to ES2017.
        new EsbuildPlugin({ target: TARGET, legalComments: 'none', include: EVENTS_FILE, minify: false }),
        // Terser: on the same output it is 5-6% smaller gzipped than esbuild's minifier (taskpane.js
        // 135.8 -> 128.0 KB gz; events.js 43.0 -> 41.0).
        new MinimizerPlugin({
          exclude: EVENTS_FILE,
          extractComments: false,
          minify: {
            implementation: MinimizerPlugin.terserMinify,
            options: { ecma: 2020, compress: { passes: 2 }, format: { comments: false } },
          },
        }),
        new MinimizerPlugin({
          include: EVENTS_FILE,
          extractComments: false,
          minify: {
            implementation: MinimizerPlugin.terserMinify,
            options: { ecma: 2017, compress: { passes: 2 }, format: { comments: false } },
          },
        }),
      ],
    },
    performance: {
      // Budgets are enforced by scripts/bundle-sizes.mjs on gzipped sizes.
      hints: false,
    },
    plugins: [
      // Griffel sorts its own rules in griffel.css, so mini-css-extract's module order does not matter.
      new MiniCssExtractPlugin({ filename: '[name].css', ignoreOrder: true, runtime: false }),
      new GriffelCSSExtractionPlugin(),
      // Build-time connection defaults (src/host/connection.ts): the CRM URL and the app registration.
      new (require('webpack').DefinePlugin)({
        'process.env.TIC_CRM_URL': JSON.stringify(process.env.TIC_CRM_URL || ''),
        'process.env.TIC_CLIENT_ID': JSON.stringify(process.env.TIC_CLIENT_ID || ''),
        // The Graph emulator the workbench mirrors its mailbox into (npm start sets it from TIC_GRAPH_PORT).
        'process.env.TIC_GRAPH_URL': JSON.stringify(process.env.TIC_GRAPH_URL || ''),
        // Where events.js fetches its German and French words from (src/events/appTableFetched.ts).
        'process.env.TIC_ADDIN_URL': JSON.stringify(baseUrl),
      }),
      new HtmlWebpackPlugin({
        filename: 'regarding.html',
        template: './src/dialog/regarding.html',
        chunks: ['regarding'],
        inject: 'body',
        scriptLoading: 'blocking',
      }),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/taskpane/taskpane.html',
        chunks: ['taskpane'],
        inject: 'body',
        scriptLoading: 'blocking',
      }),
      new HtmlWebpackPlugin({
        filename: 'admin.html',
        template: './src/admin/admin.html',
        chunks: ['admin'],
        inject: 'body',
        scriptLoading: 'blocking',
      }),
      new HtmlWebpackPlugin({
        filename: 'commands.html',
        template: './src/commands/commands.html',
        // One bundle: the function command and the event handlers register together (commands.ts).
        chunks: ['commands'],
        inject: 'body',
        scriptLoading: 'blocking',
      }),
      ...(workbench
        ? [
            new HtmlWebpackPlugin({
              filename: 'workbench.html',
              template: './workbench/workbench.html',
              chunks: ['workbench'],
              inject: 'body',
              scriptLoading: 'blocking',
            }),
            new HtmlWebpackPlugin({
              filename: 'workbench/pane-host.html',
              templateContent: workbenchHostPage('src/taskpane/taskpane.html', 'pane'),
              chunks: ['taskpane'],
              inject: 'body',
              scriptLoading: 'blocking',
            }),
            new HtmlWebpackPlugin({
              filename: 'workbench/commands-host.html',
              templateContent: workbenchHostPage('src/commands/commands.html', 'commands'),
              chunks: ['commands'],
              inject: 'body',
              scriptLoading: 'blocking',
            }),
            // The admin page as a dialog of the add-in (the pane opens it with displayDialogAsync).
            new HtmlWebpackPlugin({
              filename: 'workbench/admin.html',
              templateContent: workbenchHostPage('src/admin/admin.html', 'dialog'),
              chunks: ['admin'],
              inject: 'body',
              scriptLoading: 'blocking',
            }),
            new HtmlWebpackPlugin({
              filename: 'workbench/regarding.html',
              templateContent: workbenchHostPage('src/dialog/regarding.html', 'dialog'),
              chunks: ['regarding'],
              inject: 'body',
              scriptLoading: 'blocking',
            }),
          ]
        : []),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/icon-*.png', to: 'assets/[name][ext]' },
          { from: 'src/support/support.html', to: 'support.html' },
          // events.js's German and French words, fetched beside the pages (src/events/appTableFetched.ts).
          {
            from: '{de,fr}/app.json',
            to: 'lang/[path][name][ext]',
            context: 'src/i18n/resources',
          },
          {
            from: 'manifest.xml',
            to: 'manifest.xml',
            transform: (content) =>
              baseUrl === DEV_BASE_URL
                ? content
                : Buffer.from(rewriteManifest(content.toString('utf8'), baseUrl)),
          },
        ],
      }),
    ],
  };

  if (serving) {
    const { ensureDevCertificate } = require('./scripts/dev-cert.cjs');
    const { key, cert, certFile, created } = await ensureDevCertificate();
    if (created) {
      console.log(`Generated a self-signed certificate for localhost: ${path.relative(__dirname, certFile)}`);
      console.log(
        'Outlook will not load the add-in until you trust it by hand (README.md, "Trust the certificate").',
      );
    }
    config.devServer = {
      port: 3000,
      host: 'localhost',
      server: { type: 'https', options: { key, cert } },
      headers: { 'Access-Control-Allow-Origin': '*' },
      static: false,
      // The dev-server client (live reload / HMR) would be injected into every entry, events.js included,
      // and it needs the DOM. Reload the pane by hand after a change instead.
      client: false,
      hot: false,
      liveReload: false,
      webSocketServer: false,
      open: false,
    };
  }

  return config;
};
