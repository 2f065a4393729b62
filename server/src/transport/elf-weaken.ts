/**
 * Marks version-need entries (e.g. `GLIBC_2.38`) of an ELF64 little-endian shared object as weak
 * (VER_FLG_WEAK), in place, in a Buffer the caller then writes to a COPY of the file.
 *
 * Why: the uWebSockets.js binaries are linked against glibc 2.38 only because of three `__isoc23_*`
 * symbols. ld.so refuses to load an object whose version-need entry names a version the library does
 * not define ("GLIBC_2.38 not found") unless that entry carries VER_FLG_WEAK; then it only notes it and
 * resolves the symbols from whatever object in scope defines them (our shim, which has no versions).
 *
 * Why hand-written: patchelf has no option to edit version-need flags (its --clear-symbol-version
 * unbinds a symbol but leaves the GLIBC_2.38 requirement in place, so loading still fails), and the
 * ELF packages on npm parse or build whole images rather than flip one field in place. The edit is a
 * 2-byte OR at an offset found by walking documented structures, so a small walker is less risk than a
 * dependency. Layouts follow the System V gABI and the LSB "Symbol Versioning" chapter.
 *
 * The walk uses the program headers and the dynamic segment (what ld.so itself reads), not section
 * headers, which a stripped object need not have.
 */

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const DT_NULL = 0n;
const DT_STRTAB = 5n;
const DT_VERNEED = 0x6ffffffen;
const DT_VERNEEDNUM = 0x6fffffffn;
export const VER_FLG_WEAK = 0x2;

interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

function readSegments(elf: Buffer): Segment[] {
  if (elf.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  // e_ident[EI_CLASS] = 2 (64-bit), e_ident[EI_DATA] = 1 (little endian): every target uWS ships for Linux.
  if (elf[4] !== 2 || elf[5] !== 1) throw new Error('only ELF64 little-endian objects are supported');
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    segments.push({
      type: elf.readUInt32LE(at),
      offset: Number(elf.readBigUInt64LE(at + 8)),
      vaddr: Number(elf.readBigUInt64LE(at + 16)),
      filesz: Number(elf.readBigUInt64LE(at + 32)),
    });
  }
  return segments;
}

/** Dynamic entries hold virtual addresses; the bytes live at the file offset of their PT_LOAD segment. */
function toOffset(segments: Segment[], vaddr: number): number {
  for (const s of segments) {
    if (s.type === PT_LOAD && vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz) return vaddr - s.vaddr + s.offset;
  }
  throw new Error(`address 0x${vaddr.toString(16)} is not in any loaded segment`);
}

function cString(elf: Buffer, at: number): string {
  const end = elf.indexOf(0, at);
  return elf.toString('latin1', at, end < 0 ? elf.length : end);
}

export interface VersionNeed {
  /** The library the version is needed from, e.g. libc.so.6. */
  file: string;
  /** The version, e.g. GLIBC_2.38. */
  name: string;
  flags: number;
  /** File offset of the entry's vna_flags field. */
  flagsOffset: number;
}

/** Every version-need (Vernaux) entry of a shared object, in file order. */
export function listVersionNeeds(elf: Buffer): VersionNeed[] {
  const segments = readSegments(elf);
  const dynamic = segments.find((s) => s.type === PT_DYNAMIC);
  if (!dynamic) throw new Error('no PT_DYNAMIC segment: not a shared object');

  let strtab = -1;
  let verneed = -1;
  let verneedNum = 0;
  // Elf64_Dyn: { int64 d_tag; uint64 d_val } = 16 bytes, terminated by DT_NULL.
  for (let at = dynamic.offset; at + 16 <= dynamic.offset + dynamic.filesz; at += 16) {
    const tag = elf.readBigInt64LE(at);
    if (tag === DT_NULL) break;
    const val = Number(elf.readBigUInt64LE(at + 8));
    if (tag === DT_STRTAB) strtab = toOffset(segments, val);
    else if (tag === DT_VERNEED) verneed = toOffset(segments, val);
    else if (tag === DT_VERNEEDNUM) verneedNum = val;
  }
  if (strtab < 0 || verneed < 0) return [];

  const needs: VersionNeed[] = [];
  // Elf64_Verneed: { u16 vn_version; u16 vn_cnt; u32 vn_file; u32 vn_aux; u32 vn_next } (offsets relative to the entry).
  // Elf64_Vernaux: { u32 vna_hash; u16 vna_flags; u16 vna_other; u32 vna_name; u32 vna_next }.
  let need = verneed;
  for (let n = 0; n < verneedNum; n++) {
    const file = cString(elf, strtab + elf.readUInt32LE(need + 4));
    const count = elf.readUInt16LE(need + 2);
    let aux = need + elf.readUInt32LE(need + 8);
    for (let a = 0; a < count; a++) {
      const name = cString(elf, strtab + elf.readUInt32LE(aux + 8));
      needs.push({ file, name, flags: elf.readUInt16LE(aux + 4), flagsOffset: aux + 4 });
      const next = elf.readUInt32LE(aux + 12);
      if (next === 0) break;
      aux += next;
    }
    const next = elf.readUInt32LE(need + 12);
    if (next === 0) break;
    need += next;
  }
  return needs;
}

/**
 * Sets VER_FLG_WEAK on every version-need entry whose name is in `versions`, in the buffer.
 * Returns the names it found (an entry already weak counts too); throws on a malformed object.
 */
export function weakenVersionNeeds(elf: Buffer, versions: readonly string[]): string[] {
  const hits = listVersionNeeds(elf).filter((v) => versions.includes(v.name));
  for (const v of hits) elf.writeUInt16LE(v.flags | VER_FLG_WEAK, v.flagsOffset);
  return hits.map((v) => v.name);
}
