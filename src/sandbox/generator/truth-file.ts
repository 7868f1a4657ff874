/**
 * Writes the ground truth as one JSON document while it is being generated: persons and companies go to side files
 * as their units are written (so a million people need not stay in memory), and `finish` assembles the document:
 * the summary keys first, then "companies" and "persons".
 */
import { closeSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { CompanyTruth, GroundTruth, PersonTruth } from './truth.js';

const FLUSH_AT = 1 << 20;

class JsonArrayPart {
  private readonly fd: number;
  private buffer = '';
  private count = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  add(value: unknown): void {
    this.buffer += (this.count === 0 ? '' : ',') + JSON.stringify(value);
    this.count += 1;
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  /** Appends this part's bytes to another file. */
  copyTo(target: number): void {
    this.flush();
    closeSync(this.fd);
    const source = openSync(this.path, 'r');
    const chunk = Buffer.allocUnsafe(FLUSH_AT);
    for (let n = readSync(source, chunk); n > 0; n = readSync(source, chunk)) writeSync(target, chunk, 0, n);
    closeSync(source);
    rmSync(this.path, { force: true });
  }

  discard(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.path, { force: true });
  }
}

export class TruthFile {
  private readonly persons: JsonArrayPart;
  private readonly companies: JsonArrayPart;

  constructor(private readonly path: string) {
    this.persons = new JsonArrayPart(`${path}.persons.part`);
    this.companies = new JsonArrayPart(`${path}.companies.part`);
  }

  addPerson(person: PersonTruth): void {
    this.persons.add(person);
  }

  addCompany(company: CompanyTruth): void {
    this.companies.add(company);
  }

  /** Writes the whole document to `path` (via a temporary file renamed at the end). */
  finish(summary: Omit<GroundTruth, 'persons' | 'companies'>): void {
    const temporary = `${this.path}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      const head = JSON.stringify(summary);
      writeSync(fd, `${head.slice(0, -1)},"companies":[`);
      this.companies.copyTo(fd);
      writeSync(fd, '],"persons":[');
      this.persons.copyTo(fd);
      writeSync(fd, ']}\n');
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
  }

  /** Removes the side files (generation failed). */
  abort(): void {
    this.persons.discard();
    this.companies.discard();
  }
}
