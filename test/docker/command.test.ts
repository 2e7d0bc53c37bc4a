import { flagValue, shellWords, shellWordValue, uvicornArgs } from '../../src/docker/command';

describe('reading a runtime CMD', () => {
  test('shell words: quotes, escapes and separators as sh reads them; expansions kept as written', () => {
    expect(shellWords('exec uvicorn \'a b\' "c \\"d\\" ${PORT:-8000}" e\\ f --x="${W:-1}";next && more')).toEqual(
      ['exec', 'uvicorn', 'a b', 'c "d" ${PORT:-8000}', 'e f', '--x=${W:-1}', ';', 'next', '&&', 'more']);
  });

  test('uvicorn\'s arguments from the exec form, python -m, and sh -c up to the end of that command', () => {
    expect(uvicornArgs(['uvicorn', 'app.main:app', '--port', '8000'])).toEqual(['app.main:app', '--port', '8000']);
    expect(uvicornArgs(['python', '-m', 'uvicorn', 'app.main:app'])).toEqual(['app.main:app']);
    expect(uvicornArgs(['/bin/sh', '-c', 'alembic upgrade head && exec /app/.venv/bin/uvicorn app.main:app --port "${PORT:-80}"; echo done']))
      .toEqual(['app.main:app', '--port', '${PORT:-80}']);
    expect(uvicornArgs(['gunicorn', 'app.main:app'])).toBeUndefined();
    expect(uvicornArgs(['sh', '-c', 'exec gunicorn app.main:app'])).toBeUndefined();
  });

  test('a word\'s value: literal, variable with or without a default', () => {
    expect(shellWordValue('8000')).toEqual({ value: '8000' });
    expect(shellWordValue('${PORT:-8000}')).toEqual({ variable: 'PORT', value: '8000' });
    expect(shellWordValue('${PORT-8000}')).toEqual({ variable: 'PORT', value: '8000' });
    expect(shellWordValue('${PORT}')).toEqual({ variable: 'PORT', value: undefined });
    expect(shellWordValue('$PORT')).toEqual({ variable: 'PORT', value: undefined });
    expect(shellWordValue('x${PORT}')).toEqual({ value: 'x${PORT}' });
    expect(flagValue(['--port=1', '--port', '2'], '--port')).toBe('1');
    expect(flagValue(['--host', '0.0.0.0'], '--port')).toBeUndefined();
  });
});
