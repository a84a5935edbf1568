import {
  BinaryReader,
  BinaryReaderState,
  ExternalKind,
  OperatorCode,
  type IGlobalType,
  type IGlobalVariable,
  type IImportEntry,
  type IOperatorInformation,
  type ISectionInformation,
} from "wasmparser";
import { TABLE_WRITES } from "./table-writes.js";

const SECTION_MEMORY = 5;
const SECTION_START = 8;
const SECTION_DATA = 11;

/** Bigger modules are not looked at: the cores that qualify are a few kilobytes of forwarding functions. */
const MAX_STATELESS_BYTES = 1 << 20;

/**
 * Whether an instance of this core module holds no state its own code can change: no memory
 * (defined or imported), no mutable global, no start function, and no instruction that writes a
 * table. What it does then depends only on its imports and on what others write into its tables.
 * It must also have no loop: its functions run straight through, so a run on the server's own
 * thread needs no fuel meter in it (see meter-fuel; recursion ends in a stack overflow).
 *
 * Such are the small cores jco's glue builds around a component's main module: one defines a
 * table and exports functions that call through it, the other fills that table with the host
 * functions when it is instantiated. One instance of each can serve every instantiation of the
 * component (see ComponentFactory), instead of two new ones per request.
 */
export function isStatelessCore(bytes: Uint8Array): boolean {
  if (bytes.length > MAX_STATELESS_BYTES) return false;
  const reader = new BinaryReader();
  reader.setData(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  while (reader.read()) {
    switch (reader.state) {
      case BinaryReaderState.BEGIN_SECTION: {
        const id: number = (reader.result as ISectionInformation).id;
        if (id === SECTION_MEMORY || id === SECTION_START || id === SECTION_DATA) return false;
        break;
      }
      case BinaryReaderState.IMPORT_SECTION_ENTRY: {
        const entry = reader.result as IImportEntry;
        if (entry.kind === ExternalKind.Memory) return false;
        if (entry.kind === ExternalKind.Global && (entry.type as IGlobalType).mutability !== 0) return false;
        break;
      }
      case BinaryReaderState.BEGIN_GLOBAL_SECTION_ENTRY:
        if ((reader.result as IGlobalVariable).type.mutability !== 0) return false;
        break;
      case BinaryReaderState.CODE_OPERATOR: {
        const { code } = reader.result as IOperatorInformation;
        if (code === OperatorCode.loop || TABLE_WRITES.has(code)) return false;
        break;
      }
      case BinaryReaderState.END_WASM:
        return true;
      case BinaryReaderState.ERROR:
        return false;
    }
  }
  return false;
}
