/** The glibc compat build: the ELF edit is exact, the original is never touched, the copy is cached. */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listVersionNeeds, VER_FLG_WEAK, weakenVersionNeeds } from './elf-weaken.ts';
import { buildCompat, loadUwsWithInfo, needsCompat } from './uws-loader.ts';

const pkgDir = path.dirname(createRequire(import.meta.url).resolve('uWebSockets.js'));
const linuxBinary = path.join(pkgDir, `uws_linux_${process.arch}_${process.versions.modules}.node`);
const onLinux = process.platform === 'linux' && fs.existsSync(linuxBinary);

describe.runIf(onLinux)('ELF version-need weakening', () => {
  it('flips exactly the VER_FLG_WEAK bit of the GLIBC_2.38 entry, in a copy', () => {
    const original = fs.readFileSync(linuxBinary);
    const copy = Buffer.from(original);
    const before = listVersionNeeds(copy).find((v) => v.name === 'GLIBC_2.38');
    expect(before).toMatchObject({ file: 'libc.so.6' });
    expect(weakenVersionNeeds(copy, ['GLIBC_2.38'])).toEqual(['GLIBC_2.38']);

    const differing: number[] = [];
    for (let i = 0; i < copy.length; i++) if (copy[i] !== original[i]) differing.push(i);
    expect(differing).toEqual([before!.flagsOffset]);
    const after = listVersionNeeds(copy);
    expect(after.find((v) => v.name === 'GLIBC_2.38')!.flags & VER_FLG_WEAK).toBe(VER_FLG_WEAK);
    expect(after.filter((v) => v.flags & VER_FLG_WEAK).map((v) => v.name)).toEqual(['GLIBC_2.38']);
    expect(weakenVersionNeeds(Buffer.from(copy), ['GLIBC_2.38'])).toEqual(['GLIBC_2.38']); // idempotent
  });

  it('refuses what is not an ELF64 shared object', () => {
    expect(() => listVersionNeeds(Buffer.from('#!/bin/sh\necho not elf\n'))).toThrow(/not an ELF/);
  });
});

describe.runIf(onLinux && needsCompat())('compat copy (glibc < 2.38)', () => {
  it('is built beside its shim, cached, and leaves node_modules untouched', () => {
    const entry = buildCompat();
    const dir = path.dirname(entry);
    const copy = path.join(dir, path.basename(linuxBinary));
    expect(fs.existsSync(path.join(dir, 'libuws-isoc23-shim.so'))).toBe(true);
    const mtime = fs.statSync(copy).mtimeMs;
    expect(buildCompat()).toBe(entry);
    expect(fs.statSync(copy).mtimeMs).toBe(mtime); // not rebuilt

    const weak = (file: string) => listVersionNeeds(fs.readFileSync(file)).find((v) => v.name === 'GLIBC_2.38')!.flags & VER_FLG_WEAK;
    expect(weak(copy)).toBe(VER_FLG_WEAK);
    expect(weak(linuxBinary)).toBe(0); // the hardlinked original in the pnpm store is never edited

    const { uws, info } = loadUwsWithInfo();
    expect(info).toEqual({ source: 'compat', binary: copy });
    expect(typeof uws.App).toBe('function');
    expect(typeof (uws as { DeclarativeResponse?: unknown }).DeclarativeResponse).toBe('function'); // the package's full shape, not just the addon
  });
});
