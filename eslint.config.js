// The project's house rules made executable (../shared/STYLE.md): which layer may import which, where SQL may be
// written, no `any`, no import cycles. `npm run lint` runs it; `npm test` runs lint first.
import tseslint from 'typescript-eslint'
import boundaries from 'eslint-plugin-boundaries'
import importX from 'eslint-plugin-import-x'
import { builtinModules } from 'node:module'

/** Every way to name a Node built-in: `fs`, `node:fs`, `fs/promises`. */
const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

/**
 * SQL keywords that start a statement. SQL lives in queries/*.sql as named statements (STYLE.md rule 5); only the
 * store (which runs those statements) and the compilers that build SQL from declarations may hold SQL text.
 */
const SQL_TEXT = String.raw`/^\s*(SELECT\s|WITH\s+\w+\s+AS\s*\(|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+|TEMPORARY\s+)?(TABLE|VIEW|INDEX|MACRO|SEQUENCE|SCHEMA)\s|DROP\s+(TABLE|VIEW|INDEX|MACRO|SEQUENCE|SCHEMA)\s|ALTER\s+TABLE\s|BEGIN(\s+TRANSACTION)?;?$|COMMIT;?$|ROLLBACK;?$|SET\s+\w+\s*=|RESET\s+\w+|PRAGMA\s|ATTACH\s|DETACH\s|COPY\s|CHECKPOINT;?$|INSTALL\s|LOAD\s)/`
const noSqlText = [
  'error',
  { selector: `Literal[value=${SQL_TEXT}]`, message: 'SQL belongs in queries/*.sql as a named statement (STYLE.md rule 5).' },
  {
    selector: `TemplateLiteral > TemplateElement:first-child[value.raw=${SQL_TEXT}]`,
    message: 'SQL belongs in queries/*.sql as a named statement (STYLE.md rule 5).'
  }
]

/** What a layer may import of the project's own layers (packages are fenced by no-restricted-imports). */
const layer = (from, to) => ({ from: { element: { type: from } }, allow: { to: { element: { types: { anyOf: to } } } } })

const noElectron = { name: 'electron', message: 'Only main/ and preload/ may import Electron: the core runs in the CLI and web mode too.' }

/** Only core/store opens DuckDB databases and connections; the rest runs statements through its Sql and CaseDb. */
const noDuckDbConnection = {
  name: '@duckdb/node-api',
  importNames: ['DuckDBInstance', 'DuckDBConnection'],
  message: 'Only core/store opens DuckDB databases and connections: run named statements through Sql or CaseDb.'
}
const noConnectionReach = {
  selector: "MemberExpression[property.name='connection']",
  message: 'Only core/store touches a DuckDB connection: use Sql/CaseDb (many, one, exec, stream, transaction, exclusive).'
}

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '**/*.d.ts', 'test/fixtures/lint-fences/**']
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module', ecmaFeatures: { jsx: true } } },
    plugins: { '@typescript-eslint': tseslint.plugin, boundaries, 'import-x': importX },
    settings: {
      'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.json'] } },
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.json'] } },
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'boundaries/include': ['contract/**', 'core/**', 'main/**', 'preload/**', 'renderer/**', 'cli/**', 'policies/**', 'queries/**'],
      'boundaries/elements': [
        { type: 'contract', pattern: 'contract/**', partialMatch: false },
        { type: 'core', pattern: 'core/**', partialMatch: false },
        { type: 'main', pattern: 'main/**', partialMatch: false },
        { type: 'preload', pattern: 'preload/**', partialMatch: false },
        { type: 'renderer', pattern: 'renderer/**', partialMatch: false },
        { type: 'cli', pattern: 'cli/**', partialMatch: false },
        { type: 'policies', pattern: 'policies/**', partialMatch: false },
        { type: 'queries', pattern: 'queries/**', partialMatch: false }
      ]
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: '{{from.type}} may not import {{to.type}} (see docs/architecture.md)',
          policies: [
            layer('contract', ['contract']),
            layer('core', ['core', 'contract', 'policies', 'queries']),
            layer('cli', ['cli', 'core', 'contract']),
            layer('main', ['main', 'core', 'contract']),
            layer('preload', ['contract']),
            layer('renderer', ['renderer', 'contract'])
          ]
        }
      ]
    }
  },
  {
    files: ['contract/**/*.ts', 'core/**/*.ts', 'cli/**/*.ts'],
    ignores: ['core/store/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron, noDuckDbConnection] }] }
  },
  {
    files: ['core/store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] }
  },
  {
    files: ['main/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noDuckDbConnection] }] }
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx', 'contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            noElectron,
            noDuckDbConnection,
            ...NODE_BUILTINS.map((name) => ({ name, message: 'The renderer and the contract run in a sandboxed page: no Node modules.' }))
          ]
        }
      ]
    }
  },
  {
    files: ['contract/**/*.ts', 'core/**/*.ts', 'main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx', 'cli/**/*.ts'],
    // salesforce.ts writes SOQL, which goes to Salesforce's REST API (GET /query?q=…) and is never run by DuckDB:
    // its SELECTs are not the case's SQL, and queries/ holds only statements DuckDB runs.
    ignores: ['core/store/**', 'core/sources/sql-*.ts', 'core/detect/sigma/**', 'core/response/connectors/salesforce.ts'],
    rules: { 'no-restricted-syntax': [...noSqlText, noConnectionReach] }
  },
  {
    // The compilers may hold SQL text, but they too hand it to the store rather than to a connection.
    files: ['core/sources/sql-*.ts', 'core/detect/sigma/**/*.ts', 'core/response/connectors/salesforce.ts'],
    rules: { 'no-restricted-syntax': ['error', noConnectionReach] }
  }
)
