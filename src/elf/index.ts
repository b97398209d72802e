// The ELF reader every stage shares (sea inspects node, embed checks addons, image resolves the
// library closure): plain records read from program headers and the dynamic symbol table; it resolves nothing.
export { assertMachine, readElf, readElfFile, type ElfInfo, type ElfType } from './read.ts';
export { addonAbi, readDefinedDynamicSymbols } from './symbols.ts';
export { hostMachine, type Machine } from './machine.ts';
