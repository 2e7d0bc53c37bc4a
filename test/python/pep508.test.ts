import { UvPythonServiceOptions } from '../../src';
import { isRequirementError, parseRequirement, readRequirement, requirementProblem } from '../../src/python/pep508';
import { resolveServiceOptions } from '../../src/service/resolve';
import { problemLinesOf } from '../support/errors';

describe("PEP 508's own examples are accepted", () => {
  // The list of PEP 508's "Complete Grammar" test section, and the examples of its text.
  test.each([
    'A',
    'A.B-C_D',
    'aa',
    'name',
    'name<=1',
    'name>=3',
    'name>=3,',
    'name@http://foo.com',
    "name [fred,bar] @ http://foo.com ; python_version=='2.7'",
    "name[quux, strange];python_version<'2.7' and platform_version=='2'",
    "name; os_name=='a' or os_name=='b'",
    "name; os_name=='a' and os_name=='b' or os_name=='c'",
    "name; os_name=='a' and (os_name=='b' or os_name=='c')",
    "name; os_name=='a' or os_name=='b' and os_name=='c'",
    "name; (os_name=='a' or os_name=='b') and os_name=='c'",
    'requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"',
    'pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686',
    'argparse;python_version<"2.7"',
    'pywin32 >=1.0 ; sys_platform == "win32"',
    'foo ; "linux" in sys_platform',
    'foo ; sys_platform not in "win32 cygwin"',
    'foo ; extra == "test"',
    'foo ; platform_machine == "x86_64" and implementation_name == "cpython"',
    'foo ; python_full_version >= "3.11.4" and platform_python_implementation != "PyPy"',
    'foo; "3.10" <= python_version',
    'foo (>=1.0, <2) ; os_name == "posix"',
    'foo ; ((python_version >= "3.10"))',
    'foo ; os_name=="posix"and python_version>"3"',
  ])('%s', (text) => {
    expect(requirementProblem(text)).toBeUndefined();
    expect(parseRequirement(text)).toBeDefined();
  });
});

describe('what a requirement is read as', () => {
  test('name (normalized), extras, specifiers, url and marker', () => {
    expect(readRequirement('Requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"')).toEqual({
      name: 'requests',
      text: 'Requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"',
      extras: ['security', 'tests'],
      specifier: '>=2.8.1,==2.8.*',
      url: undefined,
      marker: 'python_version < "2.7"',
    });
    expect(readRequirement("name [fred,bar] @ http://foo.com ; python_version=='2.7'")).toMatchObject({
      name: 'name', extras: ['fred', 'bar'], specifier: '', url: 'http://foo.com', marker: "python_version=='2.7'",
    });
  });

  test('";" right after a URL belongs to the URL (PEP 508: whitespace separates a marker from a URL)', () => {
    expect(readRequirement('name @ https://x.example/a;b')).toMatchObject({ url: 'https://x.example/a;b', marker: undefined });
  });
});

describe('invalid requirements are refused with the position', () => {
  test.each<[string, string]>([
    ['fastapi; rm -rf /',
      'invalid environment marker at character 10 ("rm -rf /"): expected a marker variable (python_version, python_full_version, os_name, sys_platform, platform_release, platform_system, platform_version, platform_machine, platform_python_implementation, implementation_name, implementation_version, extra, extras, dependency_groups) or a quoted string.'],
    ['foo; python_version < "3.11" && os_name == "nt"',
      'invalid environment marker at character 30 ("&& os_name == \\"nt\\""): expected "and", "or" or the end of the marker.'],
    ['foo; python_version', 'invalid environment marker at character 20 (the end): expected a marker operator (==, !=, <=, >=, <, >, ~=, ===, "in", "not in").'],
    ['foo; (os_name == "a"', 'invalid environment marker at character 21 (the end): expected closing ")" of the parenthesized marker, "and" or "or".'],
    ['foo; os_name == "posix', 'invalid environment marker at character 23 (the end): expected closing " of the marker string.'],
    ['foo; os_name in"x"', 'invalid environment marker at character 14 ("in\\"x\\""): expected a marker operator (==, !=, <=, >=, <, >, ~=, ===, "in", "not in").'],
    ['foo;', 'invalid environment marker at character 5 (the end): expected an environment marker after ";", e.g. python_version < "3.13".'],
    ['foo; os_name == "a\\b"', 'invalid environment marker at character 19 ("\\\\b\\""): expected a character PEP 508 allows in a marker string (not "\\\\").'],
  ])('%s', (text, message) => {
    expect(requirementProblem(text)).toBe(`${message} A marker compares marker variables and quoted strings, joined by "and"/"or", e.g. "pywin32; sys_platform == 'win32'".`);
  });

  test.each<[string, number, string]>([
    ['fastapi>>1', 9, 'a version (letters, digits, ".", "*", "+", "!", "-", "_")'],
    ['pytest=8', 7, 'a version specifier, "[extras]", "@ url", "; marker" or the end'],
    ['-pkg', 1, 'a distribution name (letters, digits, ".", "_", "-", starting with a letter or digit)'],
    ['pkg-', 4, 'a distribution name (letters, digits, ".", "_", "-", starting with a letter or digit) ending with a letter or digit'],
    ['pkg[a,]', 7, 'an extra name'],
    ['pkg[a b]', 7, 'a "," or the closing "]" of the extras'],
    ['pkg (>=1', 9, 'a "," or the closing ")" of the version specifiers'],
    ['pkg @ not a url', 7, 'a URL with a scheme after "@", e.g. "https://example.com/pkg-1.0.tar.gz"'],
    ['pkg @ https://x.example/p.whl extra', 31, 'whitespace then ";" and a marker, or the end, after the URL'],
    ['pkg >=1, foo', 10, 'a version specifier, "[extras]", "@ url", "; marker" or the end'],
  ])('%s', (text, character, expected) => {
    const r = readRequirement(text);
    expect(isRequirementError(r) && { position: r.position + 1, expected: r.expected, inMarker: r.inMarker })
      .toEqual({ position: character, expected, inMarker: false });
    expect(requirementProblem(text)).toMatch(/^not a PEP 508 requirement at character \d+ .*; write "name", "name>=1.2", "name\[extra\]>=1,<2" or "name @ https:\/\/…"\.$/);
  });
});

describe('UvPythonService refuses invalid dependencies naming the entry', () => {
  test('deps and devDeps entries, with position; the credential in a bad entry is not quoted', () => {
    expect(problemLinesOf(() => resolveServiceOptions({
      name: 'orders-api',
      deps: ['httpx', 'fastapi; rm -rf /'],
      devDeps: ['pytest=8', 'x @ https://me:pw@git.example/x.tgz extra'],
    } as UvPythonServiceOptions))).toEqual([
      'devDeps[1]: got "<redacted>"; looks like a URL with a password; secrets are never written to generated files: keep it in the environment (.env, not committed) or in CI secrets, and reference the variable\'s name instead.',
      'deps[1]: got "fastapi; rm -rf /"; invalid environment marker at character 10 ("rm -rf /"): expected a marker variable (python_version, python_full_version, os_name, sys_platform, platform_release, platform_system, platform_version, platform_machine, platform_python_implementation, implementation_name, implementation_version, extra, extras, dependency_groups) or a quoted string. A marker compares marker variables and quoted strings, joined by "and"/"or", e.g. "pywin32; sys_platform == \'win32\'".',
      'devDeps[0]: got "pytest=8"; not a PEP 508 requirement at character 7 ("=8"): expected a version specifier, "[extras]", "@ url", "; marker" or the end; write "name", "name>=1.2", "name[extra]>=1,<2" or "name @ https://…".',
      'devDeps[1]: got "<redacted>"; not a PEP 508 requirement at character 37: expected whitespace then ";" and a marker, or the end, after the URL; write "name", "name>=1.2", "name[extra]>=1,<2" or "name @ https://…".',
    ]);
  });

  test('a valid marker passes through to the merged requirements unchanged', () => {
    const r = resolveServiceOptions({ name: 'orders-api', database: false, deps: ['tomli>=2; python_version < "3.11"'] } as UvPythonServiceOptions);
    expect(r.deps).toContain('tomli>=2; python_version < "3.11"');
  });
});
