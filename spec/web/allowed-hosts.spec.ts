import { expect } from 'chai';
import { hostRefusal, isHostEntry, serverHostNames } from '../../lib/web/allowed-hosts.js';

describe('allowed hosts (DNS rebinding)', () => {
  const names = serverHostNames(['CCD-Lab.example.org', 'ccd-lab-2'], 'vm.lab.internal', '127.0.0.1');
  const served = (host: string | undefined, list = names): boolean => hostRefusal({ method: 'GET', host, origin: undefined }, list) === undefined;

  it('serves an IPv4 or bracketed IPv6 address, with or without a port', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:2403', '10.30.1.2:80', '[::1]', '[::1]:2403', '[2001:db8::1]:8080', '[::ffff:127.0.0.1]:2403']) {
      expect(served(host), host).to.equal(true);
    }
  });

  it('serves localhost and its subdomains, whatever the case, with a final dot', () => {
    for (const host of ['localhost', 'localhost:2403', 'LocalHost:2403', 'localhost.', 'localhost.:2403', 'cam.localhost', 'a.b.LOCALHOST:1']) {
      expect(served(host), host).to.equal(true);
    }
  });

  it('serves the machine\'s name, whole and short, and the --web-hosts names, whatever the case, with a final dot', () => {
    for (const host of ['vm.lab.internal', 'VM:2403', 'vm.', 'ccd-lab.example.org:2403', 'CCD-LAB.EXAMPLE.ORG.', 'ccd-lab-2']) {
      expect(served(host), host).to.equal(true);
    }
  });

  it('serves the --host it listens on when that is a name', () => {
    expect(served('ccd-lab-3:2403', serverHostNames([], 'vm', 'ccd-lab-3.'))).to.equal(true);
  });

  it('refuses any other name, naming it and --web-hosts', () => {
    for (const host of ['evil.example', 'evil.example:2403', 'localhost.evil.example', 'vm.evil.example', 'example.org', 'lab.internal', 'localhostx', '127.0.0.1.evil.example']) {
      expect(served(host), host).to.equal(false);
    }
    expect(hostRefusal({ method: 'GET', host: 'evil.example:2403', origin: undefined }, names)).to.equal(
      'Host "evil.example:2403" is not a name of this server (allow it with --web-hosts)',
    );
  });

  it('refuses a malformed Host', () => {
    const garbage = ['a b', 'evil.example:port', 'evil.example:2403:1', '::1', '[::1', '[::1]x', '[evil.example]', '[::1]:2403:1', '127.0.0.1/x', 'user@127.0.0.1', ':2403', '.', 'vm..', 'evil.example:123456'];
    for (const host of garbage) expect(served(host), host).to.equal(false);
  });

  it('serves a request without a Host (HTTP/1.0: no browser sends one)', () => {
    expect(served(undefined)).to.equal(true);
    expect(served('')).to.equal(true);
  });

  it('* serves any Host', () => {
    const any = serverHostNames(['*'], 'vm', '127.0.0.1');
    for (const host of ['evil.example', 'a b', '[::1']) expect(served(host, any), host).to.equal(true);
  });

  describe('Origin', () => {
    const refusal = (method: string, host: string | undefined, origin: string | undefined) => hostRefusal({ method, host, origin }, names);

    it('serves a POST from the page it was sent to, or without an Origin (scripts, curl)', () => {
      expect(refusal('POST', '127.0.0.1:2403', 'http://127.0.0.1:2403')).to.equal(undefined);
      expect(refusal('POST', 'localhost:2403', 'http://LOCALHOST:2403')).to.equal(undefined);
      expect(refusal('POST', '[::1]:2403', 'http://[::1]:2403')).to.equal(undefined);
      expect(refusal('POST', 'vm', 'http://vm:80')).to.equal(undefined);
      expect(refusal('POST', 'vm:443', 'https://vm')).to.equal(undefined);
      expect(refusal('POST', '127.0.0.1:2403', undefined)).to.equal(undefined);
    });

    it('refuses a POST from another origin, another port, or an opaque origin', () => {
      expect(refusal('POST', '127.0.0.1:2403', 'http://evil.example')).to.equal('cross-origin POST from "http://evil.example" to "127.0.0.1:2403"');
      for (const origin of ['http://127.0.0.1:8080', 'http://localhost:2403', 'null', 'garbage']) {
        expect(refusal('POST', '127.0.0.1:2403', origin), origin).to.be.a('string');
      }
      expect(refusal('DELETE', 'vm', 'http://evil.example'), 'any method that may change state').to.be.a('string');
      expect(refusal('POST', undefined, 'http://127.0.0.1'), 'no Host to match').to.be.a('string');
    });

    it('does not look at the Origin of a GET, which changes nothing', () => {
      expect(refusal('GET', '127.0.0.1:2403', 'http://evil.example')).to.equal(undefined);
      expect(refusal('HEAD', '127.0.0.1:2403', 'null')).to.equal(undefined);
    });

    it('checks the Host before the Origin, and the Origin even under *', () => {
      expect(refusal('POST', 'evil.example', 'http://evil.example')).to.match(/^Host "evil.example" is not a name/);
      const any = serverHostNames(['*'], 'vm', '127.0.0.1');
      expect(hostRefusal({ method: 'POST', host: 'evil.example', origin: 'http://other.example' }, any)).to.match(/^cross-origin POST/);
    });
  });

  it('--web-hosts takes host names and *, nothing else', () => {
    for (const entry of ['ccd-lab', 'ccd-lab.example.org', 'CCD_LAB.', '10.0.0.1', '*']) expect(isHostEntry(entry), entry).to.equal(true);
    for (const entry of ['', ' ', 'ccd-lab:2403', 'http://ccd-lab', '*.example.org', 'a b', 'a,b', '[::1]', 'a..b']) expect(isHostEntry(entry), entry).to.equal(false);
  });
});
