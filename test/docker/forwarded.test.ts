import { spawnSync } from 'child_process';
import { Problems } from '../../src/core/problems';
import { forwardedEntryProblem } from '../../src/docker/forwarded';
import { resolveDockerOptions } from '../../src/docker/resolve';

/** The problems of `dockerOptions.forwardedAllowIps` and the value the runtime stage gets. */
function resolveForwarded(forwardedAllowIps: unknown): { value?: string; problems: string[] } {
  const problems = new Problems();
  const r = resolveDockerOptions({ forwardedAllowIps } as any, problems, 'dockerOptions', 'orders-api');
  return { value: r.forwardedAllowIps, problems: problems.all.map((p) => `${p.option}: ${p.expected}`) };
}

describe('dockerOptions.forwardedAllowIps', () => {
  test('addresses and networks, IPv4 and IPv6, become one comma-separated FORWARDED_ALLOW_IPS', () => {
    expect(resolveForwarded(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1'])).toEqual({
      value: '10.0.0.0/8,192.168.1.7,fd00::/8,::1', problems: [],
    });
    expect(resolveForwarded(['*'])).toEqual({ value: '*', problems: [] });
    expect(resolveForwarded(undefined)).toEqual({ value: undefined, problems: [] });
  });

  test('an entry uvicorn would silently turn into a literal no peer matches is one problem naming it and the fix', () => {
    const { value, problems } = resolveForwarded(['10.0.0.1/8', 'lb.internal', '10.0.0.0/33', '010.0.0.1', 'fd00::1/8']);
    expect(value).toBeUndefined();
    expect(problems).toEqual([
      expect.stringMatching(/^dockerOptions\.forwardedAllowIps\[0\]: has host bits set.*write the network 10\.0\.0\.0\/8/),
      expect.stringMatching(/^dockerOptions\.forwardedAllowIps\[1\]: is not an IPv4 or IPv6 address/),
      expect.stringMatching(/^dockerOptions\.forwardedAllowIps\[2\]: the prefix length must be a whole number from 0 to 32/),
      expect.stringMatching(/^dockerOptions\.forwardedAllowIps\[3\]: is not an IPv4 or IPv6 address/),
      expect.stringMatching(/^dockerOptions\.forwardedAllowIps\[4\]: has host bits set.*write the network fd00::\/8/),
    ]);
  });

  test('"*" only alone (uvicorn trusts every peer for "*" alone), and not an empty list', () => {
    expect(resolveForwarded(['*', '10.0.0.0/8']).problems).toEqual([expect.stringContaining('"*" alone')]);
    expect(resolveForwarded([]).problems).toEqual([expect.stringContaining('non-empty array')]);
  });

  test('each verdict is the one of Python\'s ipaddress, which uvicorn uses (python3 on this machine)', () => {
    const entries = ['10.0.0.0/8', '10.0.0.1/8', '0.0.0.0/0', '127.0.0.1', '256.0.0.1', '1.2.3', '01.2.3.4',
      '::1', 'fd00::/8', 'fd00::1/8', '::ffff:10.0.0.0/104', '2001:db8::/32', '2001:db8::1/128', 'fe80::1%eth0', 'x/8', '10.0.0.0/-1'];
    const py = spawnSync('python3', ['-c', [
      'import ipaddress, sys',
      'for e in sys.argv[1:]:',
      '    try:',
      '        ipaddress.ip_network(e) if "/" in e else ipaddress.ip_address(e)',
      '        print("ok")',
      '    except ValueError:',
      '        print("bad")',
    ].join('\n'), ...entries], { encoding: 'utf-8' });
    expect(py.status).toBe(0);
    const python = py.stdout.trim().split('\n');
    // fe80::1%eth0 is an address to Python but a zone no peer of a container has; refused here.
    const ours = entries.map((e) => (forwardedEntryProblem(e) === undefined ? 'ok' : 'bad'));
    const differ = entries.filter((_e, i) => python[i] !== ours[i]);
    expect(differ).toEqual(['fe80::1%eth0']);
  });
});
