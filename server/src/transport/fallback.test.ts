/** 'uws' that cannot load falls back to 'node' with one warning line, and says so in `kind`. */
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock(import('./uws-loader.ts'), async (importOriginal) => ({
  ...(await importOriginal()),
  loadUws: () => {
    throw new Error('uWebSockets.js cannot be loaded: simulated for the test');
  },
}));

const { createTransport } = await import('./index.ts');
const httpHandler = async () => ({ status: 200, body: 'fallback ok' });

describe('uws fallback', () => {
  afterEach(() => vi.restoreAllMocks());

  it('serves on node and reports it through options.warn, once, on one line', async () => {
    const warnings: string[] = [];
    const transport = await createTransport('uws', { httpHandler, warn: (m) => warnings.push(m) });
    try {
      expect(transport.kind).toBe('node');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).not.toContain('\n');
      expect(warnings[0]).toMatch(/uws unavailable.*node transport.*simulated/);
      const port = await transport.listen(0, '127.0.0.1');
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(await res.text()).toBe('fallback ok');
    } finally {
      await transport.close();
    }
  });

  it('uses console.warn when no warn option is given', async () => {
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const transport = await createTransport('uws', { httpHandler });
    await transport.close();
    expect(transport.kind).toBe('node');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("'node' never touches uws", async () => {
    const warn = vi.fn();
    const transport = await createTransport('node', { httpHandler, warn });
    await transport.close();
    expect(transport.kind).toBe('node');
    expect(warn).not.toHaveBeenCalled();
  });
});
