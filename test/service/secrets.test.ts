import { UvPythonServiceOptions } from '../../src';
import { ServiceConfigError } from '../../src/core/problems';
import { findSecret } from '../../src/core/secrets';
import { resolveServiceOptions } from '../../src/service/resolve';

describe('secrets in options are refused', () => {
  test.each([
    ['postgresql://neondb_owner:npg_abcDEF123456@ep-x-pooler.eu-central-1.aws.neon.tech/neondb', 'a URL with a password'],
    ['https://user:tok@pypi.example.com/simple', 'a URL with a password'],
    ['ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', 'a GitHub token'],
    ['AKIAABCDEFGHIJKLMNOP', 'an AWS access key id'],
    ['napi_0123456789abcdefghijklmnopqrstuvwx', 'a Neon API key or password'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'a private key'],
  ])('%s is %s', (text, what) => {
    expect(findSecret(text)).toBe(what);
  });

  test.each([
    'postgresql://localhost/app',
    'postgresql://user@host/db',
    'fastapi[standard]>=0.115',
    'mylib @ https://example.com/mylib-1.0.tar.gz',
    'DATABASE_URL',
  ])('%s is not a secret', (text) => {
    expect(findSecret(text)).toBeUndefined();
  });

  test('a secret anywhere in the options is named by its path and never echoed', () => {
    const token = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
    let error: ServiceConfigError | undefined;
    try {
      resolveServiceOptions({
        name: 'orders-api',
        deps: ['mylib @ https://me:s3cret@git.example.com/mylib.tar.gz'],
        databaseOptions: { pooledUrlEnv: token },
      } as UvPythonServiceOptions);
    } catch (e) {
      error = e as ServiceConfigError;
    }
    expect(error).toBeInstanceOf(ServiceConfigError);
    expect(error!.message).toMatch(/deps\[0\]: got "<redacted>"; looks like a URL with a password; secrets are never written/);
    expect(error!.message).toMatch(/databaseOptions\.pooledUrlEnv: got "<redacted>"; looks like a GitHub token/);
    expect(error!.message).not.toContain('s3cret');
    expect(error!.message).not.toContain(token);
  });

  test('a value that fails another check is redacted too when it holds a secret', () => {
    expect(() => resolveServiceOptions({ name: 'orders-api', deps: ['bad>>1 https://u:hunter2@x.example'] } as UvPythonServiceOptions))
      .toThrow(/deps\[0\]: got "<redacted>"; not a PEP 508 requirement/);
    try {
      resolveServiceOptions({ name: 'orders-api', deps: ['bad>>1 https://u:hunter2@x.example'] } as UvPythonServiceOptions);
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
});
