import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseTarget, shCommand, shQuote } from '../../src/exec/index.js';

describe('parseTarget', () => {
  it.each([
    ['local', { kind: 'local' }],
    ['ssh://ubuntu@10.0.0.7:2222', { kind: 'ssh', host: '10.0.0.7', user: 'ubuntu', port: 2222 }],
    ['ssh://gpu-pod', { kind: 'ssh', host: 'gpu-pod', user: undefined, port: undefined }],
    ['ssh://[2001:db8::7]:22', { kind: 'ssh', host: '2001:db8::7', user: undefined, port: 22 }],
    ['ubuntu@gpu-pod-3', { kind: 'ssh', host: 'gpu-pod-3', user: 'ubuntu', port: undefined }],
    ['gpu-pod-3:2200', { kind: 'ssh', host: 'gpu-pod-3', user: undefined, port: 2200 }],
    ['me@[::1]:2222', { kind: 'ssh', host: '::1', user: 'me', port: 2222 }],
  ])('reads %s', (text, spec) => {
    expect(parseTarget(text)).toEqual(spec);
  });

  it.each(['', 'a b', 'host:0', 'host:70000', 'ssh://host/path', 'ssh://u:pw@host', 'user@', '@host'])('refuses %j with a usage error', (text) => {
    expect(() => parseTarget(text)).toThrow(expect.objectContaining({ code: 2 }));
  });
});

describe('shQuote', () => {
  const words = ['', "'", "''", 'plain', 'with space', '$(id)', '`id`', 'a;b|c&d', 'line\nbreak', 'tab\there', '\\', '"dq"', '*?[a]', '~', 'ünïcødé ✓', "it's"];

  it('gives every word back unchanged from a real POSIX shell', () => {
    const out = execFileSync('sh', ['-c', `printf '%s\\0' ${shCommand(words)}`]);
    expect(out.toString('utf8').split('\0').slice(0, -1)).toEqual(words);
  });

  it('refuses a NUL byte', () => {
    expect(() => shQuote('a\0b')).toThrow(expect.objectContaining({ code: 2 }));
  });
});
