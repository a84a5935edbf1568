import {
  BinaryReader,
  BinaryReaderState,
  ExternalKind,
  OperatorCode,
  type IExportEntry,
  type IOperatorInformation,
  type ISectionInformation,
} from "wasmparser";

const SECTION_EXPORT = 7;
const SECTION_CODE = 10;

/** Instructions that change a table after instantiation. */
export const TABLE_WRITES: ReadonlySet<number> = new Set([
  OperatorCode.table_set,
  OperatorCode.table_grow,
  OperatorCode.table_fill,
  OperatorCode.table_copy,
  OperatorCode.table_init,
]);

/**
 * Whether an instance of this core module can change a table after instantiation: its code has
 * an instruction that writes one, or it exports a table (then JavaScript could). When it cannot,
 * a reused instance's tables need no check (checking the componentize-js engine's 7,777 entries
 * from JavaScript on every request is a cost worth skipping). Decodes every instruction with
 * wasmparser, slow for a big engine, so the answer is cached with the component (BENCHMARKS.md).
 * An undecodable module counts as writing.
 */
export function writesTables(bytes: Uint8Array): boolean {
  const reader = new BinaryReader();
  reader.setData(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  while (reader.read()) {
    switch (reader.state) {
      case BinaryReaderState.BEGIN_SECTION: {
        const id: number = (reader.result as ISectionInformation).id;
        if (id !== SECTION_CODE && id !== SECTION_EXPORT) reader.skipSection();
        break;
      }
      case BinaryReaderState.EXPORT_SECTION_ENTRY:
        if ((reader.result as IExportEntry).kind === ExternalKind.Table) return true;
        break;
      case BinaryReaderState.CODE_OPERATOR:
        if (TABLE_WRITES.has((reader.result as IOperatorInformation).code)) return true;
        break;
      case BinaryReaderState.END_WASM:
        return false;
      case BinaryReaderState.ERROR:
        return true;
    }
  }
  // Ran out of data before the end of the module.
  return true;
}
