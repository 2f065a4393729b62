import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

const capture = () => {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', { write: (line: string) => void lines.push(line) }) };
};

describe('log lines carry no guest PII', () => {
  it('masks e-mails, phones and document numbers in free text under any key, keys by name', () => {
    const { lines, logger } = capture();
    logger.warn({ detail: { note: 'Passport C01X00T47, call +49 170 5550123 or ada@example.org' }, email: 'ada@example.org' }, 'note for reservation 4F53A8B0');
    const line = JSON.parse(lines[0]!) as Record<string, any>;
    expect(line.detail.note).toBe('Passport C***7, call +***3 or a***@example.org');
    expect(line.email).toBe('[masked]');
    expect(line.msg).toBe('note for reservation 4F53A8B0');
    expect(lines[0]).not.toMatch(/C01X00T47|5550123|ada@/);
  });

  it('masks an error\'s message and stack, also when pino takes the message from the error', () => {
    const { lines, logger } = capture();
    const err = new Error('insert failed for guest with passport PX99887766');
    logger.error(err);
    logger.error({ err, commandId: '1f26a8b0-4f53-8529-48c2-9f8e7d6c5b4a' });
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).not.toContain('PX99887766');
    expect(JSON.parse(lines[0]!).msg).toBe('insert failed for guest with passport P***6');
    expect(JSON.parse(lines[1]!)).toMatchObject({ commandId: '1f26a8b0-4f53-8529-48c2-9f8e7d6c5b4a', err: { type: 'Error', message: 'insert failed for guest with passport P***6' } });
  });

  it('keeps times, pids and ids readable and survives cycles', () => {
    const { lines, logger } = capture();
    const looped: Record<string, unknown> = { at: '2027-03-10 18:00', amount: '12500.00' };
    looped.self = looped;
    logger.info({ looped }, 'cycle');
    const line = JSON.parse(lines[0]!) as Record<string, any>;
    expect(line).toMatchObject({ pid: process.pid, looped: { at: '2027-03-10 18:00', amount: '12500.00', self: '[Circular]' } });
    expect(typeof line.time).toBe('number');
  });
});
