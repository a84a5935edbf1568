/** wasi:http `fields` (headers and trailers): ordered, case-insensitive, values are bytes. */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID = { tag: "invalid-syntax" } as const;
const IMMUTABLE = { tag: "immutable" } as const;

function checkName(name: string): string {
  if (!TOKEN.test(name)) throw INVALID;
  return name.toLowerCase();
}

function checkValue(value: Uint8Array): Uint8Array {
  for (const byte of value) if (byte === 0x0a || byte === 0x0d || byte === 0x00) throw INVALID;
  return value.slice();
}

export class Fields {
  /** Entries with lowercase names, in insertion order. */
  private entriesList: Array<[string, Uint8Array]> = [];
  private immutable = false;

  static fromList(entries: Array<[string, Uint8Array]>): Fields {
    const fields = new Fields();
    for (const [name, value] of entries) fields.entriesList.push([checkName(name), checkValue(value)]);
    return fields;
  }

  /** Host side: fields the guest may read but not change (a request's headers). */
  static frozen(entries: ReadonlyArray<readonly [string, string]>): Fields {
    const fields = new Fields();
    fields.entriesList = entries.map(([name, value]) => [name.toLowerCase(), ENCODER.encode(value)]);
    fields.immutable = true;
    return fields;
  }

  get(name: string): Uint8Array[] {
    const key = name.toLowerCase();
    return this.entriesList.filter(([n]) => n === key).map(([, v]) => v);
  }
  has(name: string): boolean {
    const key = name.toLowerCase();
    return this.entriesList.some(([n]) => n === key);
  }
  set(name: string, values: Uint8Array[]): void {
    if (this.immutable) throw IMMUTABLE;
    const key = checkName(name);
    const checked = values.map(checkValue);
    this.entriesList = this.entriesList.filter(([n]) => n !== key);
    for (const value of checked) this.entriesList.push([key, value]);
  }
  delete(name: string): void {
    if (this.immutable) throw IMMUTABLE;
    const key = checkName(name);
    this.entriesList = this.entriesList.filter(([n]) => n !== key);
  }
  append(name: string, value: Uint8Array): void {
    if (this.immutable) throw IMMUTABLE;
    this.entriesList.push([checkName(name), checkValue(value)]);
  }
  entries(): Array<[string, Uint8Array]> {
    return this.entriesList.map(([n, v]) => [n, v]);
  }
  clone(): Fields {
    const copy = new Fields();
    copy.entriesList = this.entriesList.map(([n, v]) => [n, v]);
    return copy;
  }

  /** Host side: freezes the fields once a response or request has taken them. */
  freeze(): this {
    this.immutable = true;
    return this;
  }

  /** Host side: the entries as latin1 header strings. */
  toHeaderPairs(): Array<[string, string]> {
    return this.entriesList.map(([n, v]) => [n, Buffer.from(v).toString("latin1")]);
  }
}

const ENCODER = new TextEncoder();
