/**
 * Values that identify one record: a contact's email (and its additional emails after a merge),
 * and any property defined with `hasUniqueValue`. Keys are case-insensitive for emails.
 */
import type { ObjectTypeName } from './object-types.js';

export class UniqueIndex {
  private readonly maps = new Map<string, Map<string, number>>();

  /** True when the index covers this property. */
  covers(type: ObjectTypeName, property: string): boolean {
    return this.maps.has(`${type}.${property}`);
  }

  track(type: ObjectTypeName, property: string): void {
    if (!this.covers(type, property)) this.maps.set(`${type}.${property}`, new Map());
  }

  lookup(type: ObjectTypeName, property: string, value: string): number | undefined {
    return this.maps.get(`${type}.${property}`)?.get(key(property, value));
  }

  claim(type: ObjectTypeName, property: string, value: string, row: number): void {
    this.maps.get(`${type}.${property}`)?.set(key(property, value), row);
  }

  release(type: ObjectTypeName, property: string, value: string, row: number): void {
    const map = this.maps.get(`${type}.${property}`);
    if (map?.get(key(property, value)) === row) map.delete(key(property, value));
  }
}

function key(property: string, value: string): string {
  if (property !== 'email') return value;
  const lower = value.toLowerCase();
  return lower === value ? value : lower; // keep the stored string itself as the key when it is already lower-case
}
