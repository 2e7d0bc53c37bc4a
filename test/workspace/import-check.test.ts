import { checkUserCode, FindingKind, UserFileRole, UserCodeModel } from '../../src/usercode/checks';

/** The check's model of a member `orders` that declares `common` and not `money`. */
const model: UserCodeModel = {
  pythonVersion: '3.14',
  appPackage: 'orders',
  appOption: 'orders.main:app',
  testsDir: 'tests',
  deps: ['fastapi>=0.115', 'common'],
  devDeps: ['pytest>=8'],
  goneManagedFiles: new Map(),
  optionalDistributions: new Map(),
  libraryDistributions: new Set(),
  reportUnused: false,
  exists: () => false,
  workspacePackages: new Map([
    ['common', { member: 'common', declared: true }],
    ['money_lib', { member: 'money-lib', declared: false }],
  ]),
};

test('an import of an undeclared member\'s package is a finding of its own, in the app and in the tests; declared or guarded, none', () => {
  const source = [
    'from common import greeting',
    'import money_lib.rates',
    'try:',
    '    import money_lib',
    'except ImportError:',
    '    money_lib = None',
    '',
  ].join('\n');
  const findings = checkUserCode([
    { path: 'orders/main.py', role: UserFileRole.APP, source },
    { path: 'tests/test_x.py', role: UserFileRole.TESTS, source: 'from money_lib import rates\n' },
  ], model);
  expect(findings.map((f) => [f.file, f.line, f.kind])).toEqual([
    ['orders/main.py', 2, FindingKind.UNDECLARED_MEMBER],
    ['tests/test_x.py', 1, FindingKind.UNDECLARED_MEMBER],
  ]);
  expect(findings[0].message).toBe('money_lib: the package of workspace member "money-lib", which deps does not declare (its image would not contain it). ' +
    'Add "money-lib" to deps in .projenrc.ts (a workspace dependency), or remove the import.');
});

test('outside a workspace the same import is an ordinary missing dependency', () => {
  const findings = checkUserCode([{ path: 'orders/main.py', role: UserFileRole.APP, source: 'import money_lib\n' }], { ...model, workspacePackages: undefined });
  expect(findings.map((f) => f.kind)).toEqual([FindingKind.MISSING_DEPENDENCY]);
});
