import { expect } from 'chai';
import { consoleFormat } from '../lib/log.js';

/** winston's own keys (triple-beam's LEVEL and MESSAGE): the level as logged, and the finished line. */
const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');

describe('log', () => {
  const line = (colour: boolean): string => {
    const info = consoleFormat(colour).transform({ level: 'info', [LEVEL]: 'info', message: 'listening on 127.0.0.1:2402' });
    return (info as Record<symbol, string>)[MESSAGE]!;
  };

  it('colours the level name for a terminal', () => {
    expect(line(true)).to.match(/ \x1b\[\d+minfo\x1b\[39m listening on 127\.0\.0\.1:2402$/);
  });

  it('writes plain text otherwise', () => {
    expect(line(false)).to.match(/^\S+ info listening on 127\.0\.0\.1:2402$/);
  });
});
