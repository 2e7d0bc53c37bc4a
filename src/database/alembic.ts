import { ResolvedDatabase } from './resolve';

/**
 * The sections of `alembic.ini`. The database URL is deliberately absent: `env.py` reads it from the
 * direct URL's environment variable, so no credential is ever written here.
 */
export function alembicIniModel(db: ResolvedDatabase): Record<string, Record<string, string>> {
  return {
    alembic: {
      script_location: `%(here)s/${db.migrationsDir}`,
      // Revisions sort by creation time; `%%` is a literal `%` in Alembic's config.
      file_template: '%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s',
      prepend_sys_path: '.',
      // Alembic 1.16+ reads path_separator (for prepend_sys_path and version_locations) and warns
      // on every run without it; older releases (Debian trixie has 1.13) read version_path_separator.
      path_separator: 'os',
      version_path_separator: 'os',
      timezone: 'UTC',
    },
    // New revisions are formatted and lint-fixed by Ruff (run by `uv run alembic`, so on PATH).
    post_write_hooks: {
      'hooks': 'ruff_fix, ruff_format',
      'ruff_format.type': 'exec',
      'ruff_format.executable': 'ruff',
      'ruff_format.options': 'format REVISION_SCRIPT_FILENAME',
      'ruff_fix.type': 'exec',
      'ruff_fix.executable': 'ruff',
      'ruff_fix.options': 'check --fix REVISION_SCRIPT_FILENAME',
    },
    loggers: { keys: 'root,sqlalchemy,alembic' },
    handlers: { keys: 'console' },
    formatters: { keys: 'generic' },
    logger_root: { level: 'WARNING', handlers: 'console', qualname: '' },
    logger_sqlalchemy: { level: 'WARNING', handlers: '', qualname: 'sqlalchemy.engine' },
    logger_alembic: { level: 'INFO', handlers: '', qualname: 'alembic' },
    handler_console: {
      class: 'StreamHandler',
      args: '(sys.stderr,)',
      level: 'NOTSET',
      formatter: 'generic',
    },
    formatter_generic: { format: '%(levelname)-5.5s [%(name)s] %(message)s', datefmt: '%H:%M:%S' },
  };
}
